/* Alder posix port: context switch, first entry of a task, and interrupt entry, for x86-64 System V.
 * It must never change a register or flag of an interrupted task, nor write into its red zone. */
#include "port_internal.h"

/*
 * A saved context (the first word of a task control block points at it) is, from low to high:
 *   mxcsr (4 bytes), x87 control word (2), pad (2), r15, r14, r13, r12, rbx, rbp, return address.
 * Only callee-saved state is kept: a switch always happens inside a C call (posix_irq_dispatch),
 * so the compiler has already saved everything else. The signal handler sends a preempted task
 * to posix_irq_entry, which saves the rest first.
 *
 * Everything between posix_port_asm_begin and posix_port_asm_end is never preempted: the signal
 * handler leaves the interrupt pending (and asks for a retry) when it lands here.
 */

        .text
        .globl  posix_port_asm_begin
posix_port_asm_begin:

/* void posix_context_switch(void): called with interrupts masked. */
        .globl  posix_context_switch
        .type   posix_context_switch, @function
        .p2align 4
posix_context_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    pxCurrentTCB(%rip), %rax
        movq    %rsp, (%rax)
        call    vTaskSwitchContext
        movq    pxCurrentTCB(%rip), %rax
        movq    (%rax), %rsp
posix_restore_context:
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   posix_context_switch, .-posix_context_switch

/* void posix_context_start(void **saved_sp): save the caller like a switch would, then restore
 * pxCurrentTCB. posix_context_resume(*saved_sp) returns from it. */
        .globl  posix_context_start
        .type   posix_context_start, @function
        .p2align 4
posix_context_start:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        movq    pxCurrentTCB(%rip), %rax
        movq    (%rax), %rsp
        jmp     posix_restore_context
        .cfi_endproc
        .size   posix_context_start, .-posix_context_start

        .globl  posix_context_resume
        .type   posix_context_resume, @function
        .p2align 4
posix_context_resume:
        movq    %rdi, %rsp
        jmp     posix_restore_context
        .size   posix_context_resume, .-posix_context_resume

/* The first switch to a task "returns" here with r12 = task code, r13 = its parameter. */
        .globl  posix_task_entry
        .type   posix_task_entry, @function
        .p2align 4
posix_task_entry:
        .cfi_startproc
        .cfi_undefined rip
        xorl    %ebp, %ebp
        movq    %r12, %rdi
        movq    %r13, %rsi
        andq    $-16, %rsp
        call    posix_task_run
        ud2
        .cfi_endproc
        .size   posix_task_entry, .-posix_task_entry

/*
 * posix_irq_entry: the signal handler has set masked = 1, moved rsp below the interrupted red
 * zone to a 16-byte aligned slot holding {interrupted rip, interrupted rsp}, and pointed rip here.
 * Every other register still holds the interrupted task's value. Callee-saved registers survive
 * the C call (a switch saves them), so only the caller-saved ones, the flags and the x87/SSE
 * state are saved here.
 */
        .globl  posix_irq_entry
        .type   posix_irq_entry, @function
        .p2align 4
posix_irq_entry:
        pushfq
        cld                             /* the ABI wants DF clear in C code */
        pushq   %rax
        pushq   %rcx
        pushq   %rdx
        pushq   %rsi
        pushq   %rdi
        pushq   %r8
        pushq   %r9
        pushq   %r10
        pushq   %r11                    /* 10 words pushed: rsp is 16-byte aligned again */
        subq    $512, %rsp
        fxsave64 (%rsp)
        fninit                          /* C code expects an empty x87 stack */
1:
        call    posix_irq_dispatch
        /* Unmask, then look again: an interrupt raised while masked would otherwise wait. */
        movl    $0, posix_cpu+POSIX_CPU_MASKED(%rip)
        movl    posix_cpu+POSIX_CPU_IRQ_PENDING(%rip), %eax
        orl     posix_cpu+POSIX_CPU_SWITCH_PENDING(%rip), %eax
        jz      2f
        movl    $1, posix_cpu+POSIX_CPU_MASKED(%rip)
        jmp     1b
2:
        fxrstor64 (%rsp)
        addq    $512, %rsp
        popq    %r11
        popq    %r10
        popq    %r9
        popq    %r8
        popq    %rdi
        popq    %rsi
        popq    %rdx
        popq    %rcx
        popq    %rax
        popfq
        /* rsp -> {rip, rsp}. No register is free, so go through memory: only one CPU runs this
         * code and it cannot be preempted here, so one resume slot is enough. */
        pushq   (%rsp)
        popq    posix_resume_rip(%rip)
        movq    8(%rsp), %rsp
        jmpq    *posix_resume_rip(%rip)
        .size   posix_irq_entry, .-posix_irq_entry

        .globl  posix_port_asm_end
posix_port_asm_end:
        nop

        .local  posix_resume_rip
        .comm   posix_resume_rip, 8, 8

        .section .note.GNU-stack, "", @progbits
