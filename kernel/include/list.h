/* Alder kernel: the intrusive doubly-linked list every kernel object is kept in.
 * It must never allocate, and never depend on anything but FreeRTOS.h's base types. */
#ifndef ALDER_LIST_H
#define ALDER_LIST_H

#ifndef INC_FREERTOS_H
#error "include FreeRTOS.h before list.h"
#endif

/*
 * A list is a circular chain through one sentinel node, so insertion and removal never
 * test for an empty list or an end. A node does not record its list or its owner: every
 * kernel list holds nodes of one known kind embedded at a known offset in their owner
 * (a task's state node, a task's event node, a timer's node), so the owner is found with
 * list_owner(). Removal needs only the node. A node that is in no list has next == NULL.
 *
 * Sorted insertion keeps values ascending and puts a new node after every node of equal
 * value, so equal keys are served first-in first-out.
 */
typedef struct list_node {
    TickType_t value;
    struct list_node *next;
    struct list_node *prev;
} ListItem_t;

typedef struct {
    ListItem_t end; /* sentinel: end.next is the head, end.prev the tail */
} List_t;

#define list_owner(node, type, member) ((type *)(void *)((char *)(node) - offsetof(type, member)))

static inline void list_init(List_t *list)
{
    list->end.value = (TickType_t)~(TickType_t)0;
    list->end.next = &list->end;
    list->end.prev = &list->end;
}

static inline void list_node_init(ListItem_t *node)
{
    node->next = NULL;
    node->prev = NULL;
}

static inline BaseType_t list_is_empty(const List_t *list)
{
    return list->end.next == &list->end ? pdTRUE : pdFALSE;
}

static inline BaseType_t list_node_is_linked(const ListItem_t *node)
{
    return node->next != NULL ? pdTRUE : pdFALSE;
}

/* The first node, or NULL when the list is empty. */
static inline ListItem_t *list_head(const List_t *list)
{
    return list->end.next == &list->end ? NULL : list->end.next;
}

/* The node after `node`, or NULL at the end of the list. */
static inline ListItem_t *list_next(const List_t *list, const ListItem_t *node)
{
    return node->next == &list->end ? NULL : node->next;
}

static inline void list_link_before(ListItem_t *position, ListItem_t *node)
{
    node->next = position;
    node->prev = position->prev;
    position->prev->next = node;
    position->prev = node;
}

static inline void list_insert_tail(List_t *list, ListItem_t *node)
{
    list_link_before(&list->end, node);
}

static inline void list_insert_head(List_t *list, ListItem_t *node)
{
    list_link_before(list->end.next, node);
}

/* Ascending by node->value, after any node of equal value. */
static inline void list_insert_sorted(List_t *list, ListItem_t *node)
{
    ListItem_t *position = list->end.next;
    while (position != &list->end && position->value <= node->value) {
        position = position->next;
    }
    list_link_before(position, node);
}

static inline void list_remove(ListItem_t *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    node->next = NULL;
    node->prev = NULL;
}

/* Move a node already on `list` behind all the others (round robin). */
static inline __attribute__((always_inline)) void list_move_to_tail(List_t *list, ListItem_t *node)
{
    ListItem_t *const end = &list->end;
    if (node->next == end) {
        return; /* already last */
    }
    node->prev->next = node->next;
    node->next->prev = node->prev;
    ListItem_t *const tail = end->prev;
    node->prev = tail;
    node->next = end;
    tail->next = node;
    end->prev = node;
}

/* True when the list holds exactly one node. */
static inline BaseType_t list_has_one(const List_t *list)
{
    return (list->end.next != &list->end && list->end.next == list->end.prev) ? pdTRUE : pdFALSE;
}

#endif /* ALDER_LIST_H */
