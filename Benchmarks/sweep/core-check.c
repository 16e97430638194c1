// Whether this core is running at its own speed: the time of a throughput-bound loop (eight independent integer chains,
// as many instructions per cycle as the core can issue) over that of a latency-bound one (one floating-point chain, one
// operation at a time). A busy SMT sibling on the host, or any other sharing of the core's execution units, slows the
// first and not the second, so the ratio says whether a timing taken now measures the tool or the neighbours.
// Prints the ratio, e.g. 1.02; throughput.sh compiles and runs it on each CPU before every timing.
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    double start = now();
    double chain = 1.0;
    for (long i = 0; i < 10000000; i++) {
        chain = chain * 1.0000001 + 1e-9;
    }
    volatile double chainResult = chain;  // finished before the clock is read
    double latencyBound = now() - start;

    start = now();
    unsigned long x0 = 1, x1 = 2, x2 = 3, x3 = 4, x4 = 5, x5 = 6, x6 = 7, x7 = 8;
    for (long i = 0; i < 20000000; i++) {
        x0 += i;
        x1 ^= i;
        x2 += x0;
        x3 ^= x1;
        x4 += i;
        x5 ^= x4;
        x6 += x3;
        x7 ^= x2;
        __asm__ volatile("" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7));
    }
    volatile unsigned long chainsResult = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
    double throughputBound = now() - start;

    printf("%.2f\n", throughputBound / latencyBound);
    (void)chainResult, (void)chainsResult;
    return 0;
}
