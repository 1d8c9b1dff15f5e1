/* See include/NgramKernels.h. The same kernel bodies are compiled twice: once for any x86-64
 * (or other CPU) and once with AVX2/FMA enabled for this function only; which one runs is
 * decided once, at run time, from the CPU. Contraction of a*b+c into a fused multiply-add is
 * switched off so that both versions round every operation the same way. */
#include "NgramKernels.h"

#include <math.h>
#include <stdint.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#pragma clang fp contract(off)
#pragma STDC FP_CONTRACT OFF

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4l __attribute__((vector_size(32)));
typedef uint64_t v4u __attribute__((vector_size(32)));

double ngk_exp1(double x) { return exp(x); }

#define SPLAT(x) ((v4d){(x), (x), (x), (x)})

/* Helpers are macros, not functions: a function taking 32-byte vectors would have a different
 * calling convention in the portable and the AVX2 code. */
#define LOAD4(p)                                                                                           \
  ({                                                                                                       \
    v4d v_;                                                                                                \
    __builtin_memcpy(&v_, (p), sizeof v_);                                                                 \
    v_;                                                                                                    \
  })
#define STORE4(p, v)                                                                                       \
  do {                                                                                                     \
    v4d v_ = (v);                                                                                          \
    __builtin_memcpy((p), &v_, sizeof v_);                                                                 \
  } while (0)
#define SELECT4(mask, a, b) ((v4d)(((v4l)(a) & (mask)) | ((v4l)(b) & ~(mask))))

/* e^x lane by lane, x <= 0 (inputs below -708 give 0): Cody-Waite reduction by ln 2 (rounded
 * with the 1.5 * 2^52 trick) and a degree-13 Taylor polynomial. */
#define EXP4(x_in)                                                                                         \
  ({                                                                                                       \
    v4d x = (x_in);                                                                                        \
    const v4d lo = SPLAT(-708.0);                                                                          \
    v4l under = x < lo;                                                                                    \
    v4d xc = SELECT4(under, lo, x);                                                                        \
    const v4d magic = SPLAT(6755399441055744.0);                                                           \
    v4d t = xc * SPLAT(1.4426950408889634) + magic;                                                        \
    v4d n = t - magic;                                                                                     \
    v4d r = (xc - n * SPLAT(6.93147180369123816490e-01)) - n * SPLAT(1.90821492927058770002e-10);          \
    v4d p = SPLAT(1.0 / 6227020800.0);                                                                     \
    p = p * r + SPLAT(1.0 / 479001600.0);                                                                  \
    p = p * r + SPLAT(1.0 / 39916800.0);                                                                   \
    p = p * r + SPLAT(1.0 / 3628800.0);                                                                    \
    p = p * r + SPLAT(1.0 / 362880.0);                                                                     \
    p = p * r + SPLAT(1.0 / 40320.0);                                                                      \
    p = p * r + SPLAT(1.0 / 5040.0);                                                                       \
    p = p * r + SPLAT(1.0 / 720.0);                                                                        \
    p = p * r + SPLAT(1.0 / 120.0);                                                                        \
    p = p * r + SPLAT(1.0 / 24.0);                                                                         \
    p = p * r + SPLAT(1.0 / 6.0);                                                                          \
    p = p * r + SPLAT(0.5);                                                                                \
    p = p * r + SPLAT(1.0);                                                                                \
    p = p * r + SPLAT(1.0);                                                                                \
    v4u bits = ((v4u)t + 1023) << 52;                                                                      \
    SELECT4(under, SPLAT(0.0), p * (v4d)bits);                                                             \
  })

#define EXP_SUM_BODY                                                                                       \
  {                                                                                                        \
    long j = 0;                                                                                            \
    v4d za = SPLAT(0.0), zb = SPLAT(0.0);                                                                  \
    const v4d m4 = SPLAT(m);                                                                               \
    for (; j + 8 <= k; j += 8) {                                                                           \
      v4d ea = EXP4(LOAD4(w + j) - m4), eb = EXP4(LOAD4(w + j + 4) - m4);                                  \
      STORE4(s + j, ea);                                                                                   \
      STORE4(s + j + 4, eb);                                                                               \
      za += ea;                                                                                            \
      zb += eb;                                                                                            \
    }                                                                                                      \
    double z = za[0];                                                                                      \
    z += za[1];                                                                                            \
    z += za[2];                                                                                            \
    z += za[3];                                                                                            \
    z += zb[0];                                                                                            \
    z += zb[1];                                                                                            \
    z += zb[2];                                                                                            \
    z += zb[3];                                                                                            \
    for (; j < k; j++) {                                                                                   \
      double e = exp(w[j] - m);                                                                            \
      s[j] = e;                                                                                            \
      z += e;                                                                                              \
    }                                                                                                      \
    return z;                                                                                              \
  }

#define UPDATE_BODY                                                                                        \
  {                                                                                                        \
    long j = 0;                                                                                            \
    v4d pm = SPLAT(start), wm = SPLAT(-INFINITY);                                                          \
    v4l cnt = {0, 0, 0, 0};                                                                                \
    const v4d z4 = SPLAT(z), lr4 = SPLAT(lr);                                                              \
    for (; j + 4 <= k; j += 4) {                                                                           \
      v4d p = LOAD4(s + j) / z4;                                                                           \
      STORE4(s + j, p);                                                                                    \
      v4d x = LOAD4(w + j) - lr4 * p;                                                                      \
      STORE4(w + j, x);                                                                                    \
      v4l gt = p > pm, eq = p == pm;                                                                       \
      cnt = (cnt & ~gt) + (gt & 1) + (eq & 1);                                                             \
      pm = SELECT4(gt, p, pm);                                                                             \
      wm = SELECT4(x > wm, x, wm);                                                                         \
    }                                                                                                      \
    double mp = start, mw = -INFINITY;                                                                     \
    long c = 0;                                                                                            \
    for (int l = 0; l < 4; l++) {                                                                          \
      if (pm[l] > mp) {                                                                                    \
        mp = pm[l];                                                                                        \
        c = cnt[l];                                                                                        \
      } else if (pm[l] == mp) {                                                                            \
        c += cnt[l];                                                                                       \
      }                                                                                                    \
      if (wm[l] > mw) mw = wm[l];                                                                          \
    }                                                                                                      \
    for (; j < k; j++) {                                                                                   \
      double p = s[j] / z;                                                                                 \
      s[j] = p;                                                                                            \
      double x = w[j] - lr * p;                                                                            \
      w[j] = x;                                                                                            \
      if (p > mp) {                                                                                        \
        mp = p;                                                                                            \
        c = 1;                                                                                             \
      } else if (p == mp) {                                                                                \
        c++;                                                                                               \
      }                                                                                                    \
      if (x > mw) mw = x;                                                                                  \
    }                                                                                                      \
    *max_p = mp;                                                                                           \
    *ties = c;                                                                                             \
    *max_w = mw;                                                                                           \
  }

double ngk_exp_sum_portable(const double *w, double *s, long k, double m) EXP_SUM_BODY

void ngk_update_portable(double *w, double *s, long k, double z, double lr, double start, double *max_p,
                         long *ties, double *max_w) UPDATE_BODY

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define NGK_HAVE_AVX2_BUILD 1
__attribute__((target("avx2,fma"))) double ngk_exp_sum_avx2(const double *w, double *s, long k,
                                                               double m) EXP_SUM_BODY

__attribute__((target("avx2,fma"))) void ngk_update_avx2(double *w, double *s, long k, double z, double lr,
                                                            double start, double *max_p, long *ties,
                                                            double *max_w) UPDATE_BODY

int ngk_cpu_has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
double ngk_exp_sum_avx2(const double *w, double *s, long k, double m) { return ngk_exp_sum_portable(w, s, k, m); }
void ngk_update_avx2(double *w, double *s, long k, double z, double lr, double start, double *max_p, long *ties,
                     double *max_w) {
  ngk_update_portable(w, s, k, z, lr, start, max_p, ties, max_w);
}
int ngk_cpu_has_avx2(void) { return 0; }
#endif

/* 0: not decided yet, 1: portable, 2: AVX2. Every thread that finds 0 computes the same value. */
static int chosen = 0;

static inline int choice(void) {
  int c = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
  if (c == 0) {
    c = ngk_cpu_has_avx2() ? 2 : 1;
    __atomic_store_n(&chosen, c, __ATOMIC_RELAXED);
  }
  return c;
}

int ngk_uses_avx2(void) { return choice() == 2; }

void ngk_force_portable(int on) { __atomic_store_n(&chosen, on ? 1 : (ngk_cpu_has_avx2() ? 2 : 1), __ATOMIC_RELAXED); }

double ngk_exp_sum(const double *w, double *s, long k, double m) {
  return choice() == 2 ? ngk_exp_sum_avx2(w, s, k, m) : ngk_exp_sum_portable(w, s, k, m);
}

void ngk_update(double *w, double *s, long k, double z, double lr, double start, double *max_p, long *ties,
                double *max_w) {
  if (choice() == 2)
    ngk_update_avx2(w, s, k, z, lr, start, max_p, ties, max_w);
  else
    ngk_update_portable(w, s, k, z, lr, start, max_p, ties, max_w);
}

int ngk_fix_mmap_threshold(long bytes) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
  (void)bytes;
  return 0;
#endif
}
