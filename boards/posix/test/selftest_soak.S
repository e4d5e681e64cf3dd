/* Alder posix port self-test: a loop that holds a known value in every register and checks it constantly.
 * It must never call anything: a register may only change because the port failed to restore it. */

/*
 * int selftest_register_soak(const struct soak_pattern *pattern, const volatile int *stop,
 *                            uint64_t *iterations)
 * Returns 0, or the number of the first register found wrong (see port_selftest.c).
 * Holds rbx rbp r12-r15 rdx r8-r11 rsi rdi, xmm0-xmm14, mxcsr, the x87 control word and DF at
 * values from *pattern, increments each on every pass, and checks them all on every pass until
 * *stop becomes non-zero. rax, rcx (the pass count) and xmm15 are scratch.
 *
 * Frame: 0..103 expected GPRs, 112..351 expected xmm, 352 stop, 360 iterations, 368 caller's
 * mxcsr, 372 caller's x87 cw, 376 expected mxcsr, 380 expected cw, 384 scratch, 388 expected DF.
 */
#define FRAME 408
#define XMM(k) (112 + 16 * (k))

        .text
        .globl  selftest_register_soak
        .type   selftest_register_soak, @function
        .p2align 4
selftest_register_soak:
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $FRAME, %rsp
        .set    i, 0
        .rept   44
        movq    i*8(%rdi), %rax
        movq    %rax, i*8(%rsp)
        .set    i, i+1
        .endr
        movl    352(%rdi), %eax
        movl    %eax, 376(%rsp)
        movl    356(%rdi), %eax
        movl    %eax, 380(%rsp)
        movl    360(%rdi), %eax
        movl    %eax, 388(%rsp)
        movq    %rsi, 352(%rsp)
        movq    %rdx, 360(%rsp)
        stmxcsr 368(%rsp)
        fnstcw  372(%rsp)
        ldmxcsr 376(%rsp)
        fldcw   380(%rsp)

        .irp    k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
        movdqa  XMM(\k)(%rsp), %xmm\k
        .endr
        movq    0*8(%rsp), %rbx
        movq    1*8(%rsp), %rbp
        movq    2*8(%rsp), %r12
        movq    3*8(%rsp), %r13
        movq    4*8(%rsp), %r14
        movq    5*8(%rsp), %r15
        movq    6*8(%rsp), %rdx
        movq    7*8(%rsp), %r8
        movq    8*8(%rsp), %r9
        movq    9*8(%rsp), %r10
        movq    10*8(%rsp), %r11
        movq    11*8(%rsp), %rsi
        movq    12*8(%rsp), %rdi
        xorl    %ecx, %ecx
        cmpl    $0, 388(%rsp)
        je      1f
        std
1:
        .macro  CHECK_GPR reg, index
        movl    $(\index + 1), %eax
        cmpq    \index*8(%rsp), %\reg
        jne     9f
        .endm
        CHECK_GPR rbx, 0
        CHECK_GPR rbp, 1
        CHECK_GPR r12, 2
        CHECK_GPR r13, 3
        CHECK_GPR r14, 4
        CHECK_GPR r15, 5
        CHECK_GPR rdx, 6
        CHECK_GPR r8, 7
        CHECK_GPR r9, 8
        CHECK_GPR r10, 9
        CHECK_GPR r11, 10
        CHECK_GPR rsi, 11
        CHECK_GPR rdi, 12

        .irp    k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
        movdqa  %xmm\k, %xmm15
        pcmpeqb XMM(\k)(%rsp), %xmm15
        pmovmskb %xmm15, %eax
        cmpl    $0xffff, %eax
        movl    $(20 + \k), %eax
        jne     9f
        .endr

        stmxcsr 384(%rsp)
        movl    384(%rsp), %eax
        cmpl    376(%rsp), %eax
        movl    $40, %eax
        jne     9f
        fnstcw  384(%rsp)
        movzwl  384(%rsp), %eax
        cmpw    380(%rsp), %ax
        movl    $41, %eax
        jne     9f
        pushfq
        popq    %rax
        andl    $0x400, %eax
        cmpl    388(%rsp), %eax
        movl    $42, %eax
        jne     9f

        /* Change every value, so a stale restore is caught as surely as a wrong one. */
        .macro  BUMP_GPR reg, index
        incq    %\reg
        incq    \index*8(%rsp)
        .endm
        BUMP_GPR rbx, 0
        BUMP_GPR rbp, 1
        BUMP_GPR r12, 2
        BUMP_GPR r13, 3
        BUMP_GPR r14, 4
        BUMP_GPR r15, 5
        BUMP_GPR rdx, 6
        BUMP_GPR r8, 7
        BUMP_GPR r9, 8
        BUMP_GPR r10, 9
        BUMP_GPR r11, 10
        BUMP_GPR rsi, 11
        BUMP_GPR rdi, 12
        .irp    k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14
        paddq   soak_ones(%rip), %xmm\k
        movdqa  XMM(\k)(%rsp), %xmm15
        paddq   soak_ones(%rip), %xmm15
        movdqa  %xmm15, XMM(\k)(%rsp)
        .endr

        incq    %rcx
        movq    352(%rsp), %rax
        cmpl    $0, (%rax)
        je      1b
        xorl    %eax, %eax
9:
        cld
        movq    360(%rsp), %rdx
        movq    %rcx, (%rdx)
        ldmxcsr 368(%rsp)
        fldcw   372(%rsp)
        addq    $FRAME, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .size   selftest_register_soak, .-selftest_register_soak

        .section .rodata
        .p2align 4
soak_ones:
        .quad   1, 1

        .section .note.GNU-stack, "", @progbits
