/* Alder kernel: the layout of a stream buffer (StaticStreamBuffer_t, StaticMessageBuffer_t).
 * It must never be used outside stream_buffer.c except to size static storage; fields may change. */
#ifndef ALDER_STREAM_BUFFER_OBJECT_H
#define ALDER_STREAM_BUFFER_OBJECT_H

/* Included by FreeRTOS.h after the base types and config defaults, before task.h, so the
 * waiting tasks are kept as void * (a TaskHandle_t converts to and from it implicitly). */

struct stream_buffer;

/* The same type as StreamBufferCallbackFunction_t in stream_buffer.h. */
typedef void (*stream_buffer_callback_t)(struct stream_buffer *buffer, BaseType_t in_isr,
                                         BaseType_t *const higher_priority_task_woken);

/*
 * head and tail run over [0, 2 * length) instead of [0, length): head == tail means empty and
 * head - tail == length means full, so every byte of storage is usable and each index has a
 * single writer (head: the sending side, tail: the receiving side), which is what lets one
 * sender and one receiver copy data without a critical section.
 */
struct stream_buffer {
    volatile size_t head;
    volatile size_t tail;
    size_t length;        /* capacity in bytes */
    size_t trigger_level; /* a blocked reader is woken once this many bytes are stored */
    void *waiting_reader; /* TaskHandle_t, written only inside a critical section or by the waiter */
    void *waiting_writer;
    uint8_t *storage;
#if defined(configUSE_SB_COMPLETED_CALLBACK) && (configUSE_SB_COMPLETED_CALLBACK == 1)
    stream_buffer_callback_t send_completed;
    stream_buffer_callback_t receive_completed;
#endif
#if defined(configUSE_TRACE_FACILITY) && (configUSE_TRACE_FACILITY == 1)
    UBaseType_t number;
#endif
    uint8_t flags;        /* kind (stream, message, batching) and how it was allocated */
    uint8_t notify_index; /* the task notification index used to block */
};

#endif /* ALDER_STREAM_BUFFER_OBJECT_H */
