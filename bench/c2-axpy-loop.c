/*
 * Why the portable products stop at about 55 GFLOP/s per core (docs/performance.md, "Portable loops").
 *
 * HotSpot's C2 (JDK 17, AVX-512, default flags) compiles AxpyProducts' four-source row loop,
 *     acc[j] += s0*a[j] + s1*b[j] + s2*c[j] + s3*e[j],
 * into: a scalar pre-loop that runs until acc's address is 64-byte aligned (1 to 16 iterations),
 * a main loop of two 16-float vectors, a one-vector drain loop and a scalar post-loop: 16 scalar
 * iterations per call for any length that is a multiple of 16, and source rows loaded at whatever
 * alignment their arrays have (Java aligns objects to 8 bytes). This program runs that code, and
 * the same vector instructions without the scalar loops and with aligned rows, on rows laid out as
 * Java allocates float[] rows back to back (16-byte header, 8-byte aligned).
 *
 *   gcc -O2 -march=native bench/c2-axpy-loop.c -o /tmp/c2-axpy-loop && /tmp/c2-axpy-loop
 *
 * The assembly C2 emits can be printed with -XX:+UnlockDiagnosticVMOptions
 * -XX:CompileCommand=print,dev.nnkit.core.kernel.AxpyProducts::forwardRows (its hex disassembles
 * with objdump -D -b binary -mi386:x86-64).
 */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define SCALAR(j) acc[j] += s0 * a[j] + s1 * b[j] + s2 * c[j] + s3 * e[j]
#define VECTOR(j)                                                                                   \
    _mm512_storeu_ps(acc + (j),                                                                     \
        _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(_mm512_add_ps(                                    \
            _mm512_mul_ps(v0, _mm512_loadu_ps(a + (j))), _mm512_mul_ps(v1, _mm512_loadu_ps(b + (j)))), \
            _mm512_mul_ps(v2, _mm512_loadu_ps(c + (j)))), _mm512_mul_ps(v3, _mm512_loadu_ps(e + (j)))), \
            _mm512_loadu_ps(acc + (j))))

/* with_scalar: C2's pre-loop (aligns acc; at least one iteration) and scalar post-loop. */
__attribute__((noinline)) static void axpy4(float *acc, float s0, const float *a, float s1, const float *b,
                                            float s2, const float *c, float s3, const float *e, int n,
                                            int with_scalar) {
    int j = 0;
    if (with_scalar) {
        int pre = (int) ((64 - (uintptr_t) acc % 64) % 64 / 4);
        for (pre = pre == 0 ? 16 : pre; j < pre && j < n; j++) SCALAR(j);
    }
    __m512 v0 = _mm512_set1_ps(s0), v1 = _mm512_set1_ps(s1), v2 = _mm512_set1_ps(s2), v3 = _mm512_set1_ps(s3);
    for (; j + 32 <= n; j += 32) { VECTOR(j); VECTOR(j + 16); }
    for (; j + 16 <= n; j += 16) VECTOR(j);
    for (; j < n; j++) SCALAR(j);
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* 64 source rows and 4 accumulator rows of len floats, objects of obj bytes from offset start;
 * the forward product's pattern: each group of four source rows feeds the four accumulators. */
static double gflops(int len, int obj, int start, int with_scalar) {
    char *mem = aligned_alloc(64, (size_t) 72 * obj + 4096), *p = mem + start;
    float *src[64], *acc[4];
    for (int i = 0; i < 64; i++, p += obj) src[i] = (float *) (p + 16);
    for (int i = 0; i < 4; i++, p += obj) acc[i] = (float *) (p + 16);
    for (int i = 0; i < 64; i++) for (int j = 0; j < len; j++) src[i][j] = rand() / (float) RAND_MAX;
    for (int i = 0; i < 4; i++) for (int j = 0; j < len; j++) acc[i][j] = 0;
    long reps = 2000000000L / (32L * len);
    double best = 0;
    for (int round = 0; round < 7; round++) {
        double t = seconds();
        for (long q = 0; q < reps; q++) {
            int k = (int) (q & 15) * 4;
            for (int r = 0; r < 4; r++)
                axpy4(acc[r], 0.5f, src[k], 0.25f, src[k + 1], 0.125f, src[k + 2], 0.0625f, src[k + 3], len, with_scalar);
        }
        double g = 32.0 * len * reps / (seconds() - t) / 1e9;
        best = g > best ? g : best;
    }
    free(mem);
    return best;
}

int main(void) {
    printf("GFLOP/s on one core (best of 7)          rows of 256   rows of 128\n");
    /* Java's layout: float[256] is a 1,040-byte object, float[128] 528; 64-byte multiples co-align. */
    printf("C2's loops, rows as Java allocates them  %11.1f %13.1f\n", gflops(256, 1040, 8, 1), gflops(128, 528, 8, 1));
    printf("C2's loops, every row 64-byte aligned    %11.1f %13.1f\n", gflops(256, 1088, 48, 1), gflops(128, 576, 48, 1));
    printf("vector loops only, rows as Java's        %11.1f %13.1f\n", gflops(256, 1040, 8, 0), gflops(128, 528, 8, 0));
    printf("vector loops only, rows aligned          %11.1f %13.1f\n", gflops(256, 1088, 48, 0), gflops(128, 576, 48, 0));
    return 0;
}
