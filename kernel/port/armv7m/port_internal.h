/* Alder armv7m port: the system registers and shared state of the port's own files.
 * It must never be included outside kernel/port/armv7m: boards use their own register names. */
#ifndef ALDER_ARMV7M_PORT_INTERNAL_H
#define ALDER_ARMV7M_PORT_INTERNAL_H

#include "FreeRTOS.h"

#ifndef configCPU_CLOCK_HZ
#error "define configCPU_CLOCK_HZ (the core clock in Hz) in board_config.h"
#endif
/* SysTick counts the core clock unless the board says it counts a slower reference clock. */
#ifndef configSYSTICK_CLOCK_HZ
#define configSYSTICK_CLOCK_HZ configCPU_CLOCK_HZ
#define PORT_SYST_CSR_CLOCK PORT_SYST_CSR_CLKSOURCE
#else
#define PORT_SYST_CSR_CLOCK 0u
#endif

#define PORT_REG32(address) (*(volatile uint32_t *)(address))
#define PORT_REG8(address) (*(volatile uint8_t *)(address))

/* System control block (ARMv7-M ARM, B3.2). */
#define PORT_VTOR PORT_REG32(0xE000ED08u)
#define PORT_ICSR_PENDSVCLR (1u << 27)
#define PORT_ICSR_PENDSTSET (1u << 26)
#define PORT_ICSR_PENDSTCLR (1u << 25)
/* Priority bytes: exception n (4..15) at 0xE000ED14 + n (SHPR1-3), external interrupt n at 0xE000E400 + n. */
#define PORT_SHPR_BYTE(exception) PORT_REG8(0xE000ED14u + (exception))
#define PORT_NVIC_IPR_BYTE(irq) PORT_REG8(0xE000E400u + (irq))
#define PORT_EXC_SVCALL 11u
#define PORT_EXC_PENDSV 14u
#define PORT_EXC_SYSTICK 15u
#define PORT_FIRST_IRQ 16u

/* SysTick (B3.3): a 24-bit down-counter that interrupts when it reaches zero, then reloads. */
#define PORT_SYST_CSR PORT_REG32(0xE000E010u)
#define PORT_SYST_RVR PORT_REG32(0xE000E014u)
#define PORT_SYST_CVR PORT_REG32(0xE000E018u)
#define PORT_SYST_CSR_ENABLE (1u << 0)
#define PORT_SYST_CSR_TICKINT (1u << 1)
#define PORT_SYST_CSR_CLKSOURCE (1u << 2)
#define PORT_SYST_RUNNING (PORT_SYST_CSR_CLOCK | PORT_SYST_CSR_TICKINT | PORT_SYST_CSR_ENABLE)
#define PORT_SYST_MAX_RELOAD 0x00FFFFFFu

#define PORT_CYCLES_PER_TICK ((uint32_t)(configSYSTICK_CLOCK_HZ / configTICK_RATE_HZ))

/* Count a new tick period of `cycles` from now, with the interrupt on. */
static inline void port_systick_start(uint32_t cycles)
{
    PORT_SYST_RVR = cycles - 1u;
    PORT_SYST_CVR = 0; /* any write clears the count, so the period starts at the reload value */
    PORT_SYST_CSR = PORT_SYST_RUNNING;
}

#endif /* ALDER_ARMV7M_PORT_INTERNAL_H */
