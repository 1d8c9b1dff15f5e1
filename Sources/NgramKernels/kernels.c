/* See include/NgramKernels.h. The same kernel bodies are compiled twice: once for any x86-64
 * (or other CPU) and once with AVX2/FMA enabled for this function only; which one runs is
 * decided once, at run time, from the CPU. Contraction of a*b+c into a fused multiply-add is
 * switched off, and the fused multiply-adds the exp is written with are exact-then-rounded in both
 * (the AVX2 instruction, or the C library's fma()), so both versions round every operation the
 * same way. */
#include "NgramKernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

/* e^x lane by lane for nv (<= 8) vectors of x = w[...] - m, x <= 0 (inputs below -708 give 0),
 * with fused multiply-adds (one rounding each: the AVX2 versions use the CPU's, the portable ones
 * the C library's fma(), which is correctly rounded, so both give the same bits):
 * x = (4q + i) ln2/4 + r with |r| <= ln2/8 (n = 4q + i rounded with the 1.5 * 2^52 trick, ln2/4
 * in two parts), e^x = 2^q T[i] (1 + tail[i]) e^r, where T[i] is 2^(i/4) rounded and tail[i] its
 * relative rounding error, and e^r - 1 = r + r^2 (1/2! + r/3! + ... + r^7/9!) (the Taylor
 * remainder is below 2^-56 on |r| <= ln2/8). The result is scale + scale * (tail + e^r - 1), with
 * scale = 2^q T[i] built by adding n << 50 to T[i]'s bits less i << 50 (within one ulp of the C
 * library's exp, tested; equal to it on about 98% of inputs). The table lookups are in-register permutes in the AVX2
 * versions, plain indexing in the portable ones (LOOKUP4). Each step is done for all nv vectors
 * before the next, so the CPU has nv independent chains to overlap; EXP_BARRIER(v) keeps the
 * compiler from serializing the chains again: in the AVX2 versions an empty asm that only pins v
 * to a register, nothing in the portable ones. The operations per lane, and so the bits, do not
 * depend on nv. Declares e[0..nv). */
#define EXP_BARN(v, nv) FORN(nv) EXP_BARRIER(v[i_]);
#define FORN(nv) _Pragma("clang loop unroll(full)") for (int i_ = 0; i_ < (nv); i_++)
#define FMA4(a, b, c) __builtin_elementwise_fma((a), (b), (c))
#define HORNERN(c, nv)                                                                                     \
  FORN(nv) p_[i_] = FMA4(p_[i_], r_[i_], SPLAT(c));                                                        \
  EXP_BARN(p_, nv)
/* T[i] bits less i << 50, and tail[i] = (2^(i/4) - T[i]) / T[i], for i = 0..3. */
#define EXP_T0 0x3ff0000000000000L
#define EXP_T1 0x3fef06fe0a31b715L
#define EXP_T2 0x3feea09e667f3bcdL
#define EXP_T3 0x3feee89f995ad3adL
#define EXP_TAIL0 0.0
#define EXP_TAIL1 3.3484623336251524e-17
#define EXP_TAIL2 -6.835808657661922e-17
#define EXP_TAIL3 4.875160526227062e-17
#define EXPN(wp, m4, nv)                                                                                   \
  v4d e[8];                                                                                                \
  {                                                                                                        \
    v4d x_[8], t_[8], r_[8], p_[8];                                                                        \
    FORN(nv) x_[i_] = LOAD4((wp) + 4 * i_) - (m4);                                                         \
    EXP_BARN(x_, nv)                                                                                       \
    FORN(nv) t_[i_] = FMA4(x_[i_], SPLAT(5.7707801635558535), SPLAT(6755399441055744.0));                 \
    EXP_BARN(t_, nv)                                                                                       \
    FORN(nv) r_[i_] = FMA4(t_[i_] - SPLAT(6755399441055744.0), SPLAT(-0.17328679513998632), x_[i_]);     \
    EXP_BARN(r_, nv)                                                                                       \
    FORN(nv) r_[i_] = FMA4(t_[i_] - SPLAT(6755399441055744.0), SPLAT(-5.797617034615749e-18), r_[i_]);   \
    EXP_BARN(r_, nv)                                                                                       \
    FORN(nv) p_[i_] = SPLAT(1.0 / 362880.0);                                                               \
    HORNERN(1.0 / 40320.0, nv)                                                                             \
    HORNERN(1.0 / 5040.0, nv)                                                                              \
    HORNERN(1.0 / 720.0, nv)                                                                               \
    HORNERN(1.0 / 120.0, nv)                                                                               \
    HORNERN(1.0 / 24.0, nv)                                                                                \
    HORNERN(1.0 / 6.0, nv)                                                                                 \
    HORNERN(0.5, nv)                                                                                       \
    FORN(nv) {                                                                                             \
      v4l tb_ = (v4l)t_[i_];                                                                               \
      v4d tail_, sc_;                                                                                      \
      LOOKUP4(tb_, tail_, sc_);                                                                            \
      p_[i_] = FMA4(r_[i_] * r_[i_], p_[i_], tail_) + r_[i_];                                              \
      sc_ = (v4d)((v4l)sc_ + (tb_ << 50));                                                                 \
      e[i_] = (v4d)((v4l)FMA4(sc_, p_[i_], sc_) & ~(v4l)(x_[i_] < SPLAT(-708.0)));                         \
    }                                                                                                      \
  }

/* Stores e[0..nv) at s + j; STORE_SUMN also adds them to the lane sums za, zb in block order. */
#define STOREN(nv) FORN(nv) STORE4(s + j + 4 * i_, e[i_]);
#define STORE_SUMN(nv)                                                                                     \
  FORN(nv) {                                                                                               \
    STORE4(s + j + 4 * i_, e[i_]);                                                                         \
    if (i_ % 2 == 0)                                                                                       \
      za += e[i_];                                                                                         \
    else                                                                                                   \
      zb += e[i_];                                                                                         \
  }
/* Blocks of 16 (4 chains: more only spill registers), then one of 8 if left, below `lim`, in
 * column order. */
#define EXP_BLOCKS(lim, STORE)                                                                             \
  for (; j + 16 <= (lim); j += 16) {                                                                       \
    EXPN(w + j, m4, 4)                                                                                     \
    STORE(4)                                                                                               \
  }                                                                                                        \
  if (j + 8 <= (lim)) {                                                                                    \
    EXPN(w + j, m4, 2)                                                                                     \
    STORE(2)                                                                                               \
    j += 8;                                                                                                \
  }

/* The eight lane sums (za lanes 0..3, then zb's) added in order: the softmax sum's one order. */
#define FOLD_LANES(za, zb) ((((((((za)[0] + (za)[1]) + (za)[2]) + (za)[3]) + (zb)[0]) + (zb)[1]) + (zb)[2]) + (zb)[3])

/* The update passes' running maxima: four sets of lanes (16 columns a round, so that the
 * compare-and-select chains overlap), of the exps (sm, from 0) and the new weights (wm, from
 * -inf); merged into ms and mw. */
#define LANE_MAXIMA_INIT                                                                                   \
  v4d sm[4], wm[4];                                                                                        \
  for (int a = 0; a < 4; a++) {                                                                            \
    sm[a] = SPLAT(0.0);                                                                                    \
    wm[a] = SPLAT(-INFINITY);                                                                              \
  }
#define LANE_MAXIMA_MERGE                                                                                  \
  double ms = 0.0, mw = -INFINITY;                                                                         \
  for (int a = 0; a < 4; a++) {                                                                            \
    for (int l = 0; l < 4; l++) {                                                                          \
      if (sm[a][l] > ms) ms = sm[a][l];                                                                    \
      if (wm[a][l] > mw) mw = wm[a][l];                                                                    \
    }                                                                                                      \
  }

#define EXP_SUM_BODY                                                                                       \
  {                                                                                                        \
    long j = 0;                                                                                            \
    v4d za = SPLAT(0.0), zb = SPLAT(0.0);                                                                  \
    const v4d m4 = SPLAT(m);                                                                               \
    EXP_BLOCKS(k, STORE_SUMN)                                                                              \
    double z = FOLD_LANES(za, zb);                                                                         \
    for (; j < k; j++) {                                                                                   \
      double e = exp(w[j] - m);                                                                            \
      s[j] = e;                                                                                            \
      z += e;                                                                                              \
    }                                                                                                      \
    return z;                                                                                              \
  }

/* e^(w[j] - m) into s[j] for from <= j < to (from a multiple of 8): the polynomial for the
 * columns in full blocks of eight of the whole row (j < k rounded down to 8), the C library's exp
 * past them, exactly as EXP_SUM_BODY computes each column. */
#define EXP_STORE_BODY                                                                                     \
  {                                                                                                        \
    const long k8 = k & ~7L;                                                                               \
    const long end = to < k8 ? to : k8;                                                                    \
    const v4d m4 = SPLAT(m);                                                                               \
    long j = from;                                                                                         \
    EXP_BLOCKS(end, STOREN)                                                                                \
    for (j = from > k8 ? from : k8; j < to; j++) s[j] = exp(w[j] - m);                                     \
  }

/* p = s[j] * rz (s is left as it is), w[j] -= lr * p, keeping the largest exp and the largest new
 * w. (The largest p is the largest exp's: p rounds monotonically in s. Ties are counted by the
 * caller, only for the steps where they can decide the argmax.) */
#define UPDATE_LANES(a, jj)                                                                                \
  {                                                                                                        \
    v4d e = LOAD4(s + (jj));                                                                               \
    v4d x = LOAD4(w + (jj)) - lr4 * (e * rz4);                                                             \
    STORE4(w + (jj), x);                                                                                   \
    sm[a] = SELECT4(e > sm[a], e, sm[a]);                                                                  \
    wm[a] = SELECT4(x > wm[a], x, wm[a]);                                                                  \
  }
/* Four sets of lane maxima (16 columns a round), so that the compare-and-select chains overlap. */
#define UPDATE_BODY                                                                                        \
  {                                                                                                        \
    long j = 0;                                                                                            \
    LANE_MAXIMA_INIT                                                                                       \
    const v4d rz4 = SPLAT(rz), lr4 = SPLAT(lr);                                                            \
    for (; j + 16 <= k; j += 16) {                                                                         \
      UPDATE_LANES(0, j)                                                                                   \
      UPDATE_LANES(1, j + 4)                                                                               \
      UPDATE_LANES(2, j + 8)                                                                               \
      UPDATE_LANES(3, j + 12)                                                                              \
    }                                                                                                      \
    for (; j + 4 <= k; j += 4) UPDATE_LANES(0, j)                                                          \
    LANE_MAXIMA_MERGE                                                                                      \
    for (; j < k; j++) {                                                                                   \
      double x = w[j] - lr * (s[j] * rz);                                                                  \
      w[j] = x;                                                                                            \
      if (s[j] > ms) ms = s[j];                                                                            \
      if (x > mw) mw = x;                                                                                  \
    }                                                                                                      \
    *max_s = ms;                                                                                           \
    *max_w = mw;                                                                                           \
  }

/* ---- Carried exps (see ngk_update_carry in the header). ----
 *
 * The sum of stored exps, in ngk_exp_sum's order: eight lane sums over the full blocks of
 * eight, added lane 0..7, then the remaining columns one by one; and their largest. */
#define SUM_BODY                                                                                           \
  {                                                                                                        \
    v4d za = SPLAT(0.0), zb = SPLAT(0.0), ma = SPLAT(0.0), mb = SPLAT(0.0);                                \
    long j = 0;                                                                                            \
    for (; j + 8 <= k; j += 8) {                                                                           \
      const v4d a = LOAD4(s + j), b = LOAD4(s + j + 4);                                                    \
      za += a;                                                                                             \
      zb += b;                                                                                             \
      ma = SELECT4(a > ma, a, ma);                                                                         \
      mb = SELECT4(b > mb, b, mb);                                                                         \
    }                                                                                                      \
    double z = FOLD_LANES(za, zb);                                                                         \
    double m = 0.0;                                                                                        \
    for (int l = 0; l < 4; l++) {                                                                          \
      if (ma[l] > m) m = ma[l];                                                                            \
      if (mb[l] > m) m = mb[l];                                                                            \
    }                                                                                                      \
    for (; j < k; j++) {                                                                                   \
      z += s[j];                                                                                           \
      if (s[j] > m) m = s[j];                                                                              \
    }                                                                                                      \
    *max_s = m;                                                                                            \
    return z;                                                                                              \
  }

/* The update of ngk_update (same w, same maxima) that also carries each exp to the new weight:
 * with d = lr * (s * rz) (the amount w loses), s2 = s + s * (e^-d - 1), where e^y - 1 is
 * y (1 + y/2! + ... + y^(n-1)/n!) in Horner's form with fused multiply-adds; the C library's
 * fma() in the scalar tail, correctly rounded like the CPU's, so both builds give the same bits.
 * N is the degree n the step's largest d needs (see ngk_carry_degree); a block of sixteen
 * columns (counted from the start of the row: the team splits rows at a multiple of 16) whose
 * exps are all at most e2 (or e3) has no d past the bound of degree 2 (or 3) and uses it. */
#define CARRY_COEFS                                                                                        \
  static const double a_[8] = {1.0,           1.0 / 2,        1.0 / 6,         1.0 / 24,                  \
                               1.0 / 120,     1.0 / 720,      1.0 / 5040,      1.0 / 40320}
#define CARRY_LANES(a, jj, N)                                                                              \
  {                                                                                                        \
    v4d e = LOAD4(s + (jj));                                                                               \
    v4d d = lr4 * (e * rz4);                                                                               \
    v4d x = LOAD4(w + (jj)) - d;                                                                           \
    STORE4(w + (jj), x);                                                                                   \
    v4d y = -d;                                                                                            \
    v4d h = SPLAT(a_[(N) - 1]);                                                                            \
    _Pragma("clang loop unroll(full)") for (int i_ = (N) - 2; i_ >= 0; i_--) h = FMA4(h, y, SPLAT(a_[i_])); \
    STORE4(s2 + (jj), FMA4(e, y * h, e));                                                                  \
    sm[a] = SELECT4(e > sm[a], e, sm[a]);                                                                  \
    wm[a] = SELECT4(x > wm[a], x, wm[a]);                                                                  \
  }
#define CARRY_BLOCK(N)                                                                                     \
  CARRY_LANES(0, j, N)                                                                                     \
  CARRY_LANES(1, j + 4, N)                                                                                 \
  CARRY_LANES(2, j + 8, N)                                                                                 \
  CARRY_LANES(3, j + 12, N)
/* The largest exp whose d is at most `bound` (less a margin for the rounding of d). */
#define CARRY_E(bound) ((bound) / (lr * rz) * (1 - 1e-9))
#define ALL4(c)                                                                                            \
  ({                                                                                                       \
    v4l c_ = (v4l)(c);                                                                                     \
    (c_[0] & c_[1] & c_[2] & c_[3]) != 0;                                                                  \
  })
#define UPDATE_CARRY_BODY(N)                                                                               \
  {                                                                                                        \
    CARRY_COEFS;                                                                                           \
    long j = 0;                                                                                            \
    LANE_MAXIMA_INIT                                                                                       \
    const v4d rz4 = SPLAT(rz), lr4 = SPLAT(lr);                                                            \
    const v4d e2 = SPLAT(CARRY_E(4.3e-6)), e3 = SPLAT(CARRY_E(1.35e-4));                                   \
    for (; j + 16 <= k; j += 16) {                                                                         \
      v4d a_0 = LOAD4(s + j), a_1 = LOAD4(s + j + 4), a_2 = LOAD4(s + j + 8), a_3 = LOAD4(s + j + 12);     \
      a_0 = SELECT4(a_1 > a_0, a_1, a_0);                                                                  \
      a_2 = SELECT4(a_3 > a_2, a_3, a_2);                                                                  \
      a_0 = SELECT4(a_2 > a_0, a_2, a_0);                                                                  \
      if ((N) > 2 && ALL4(a_0 <= e2)) {                                                                    \
        CARRY_BLOCK(2)                                                                                     \
      } else if ((N) > 3 && ALL4(a_0 <= e3)) {                                                             \
        CARRY_BLOCK(3)                                                                                     \
      } else {                                                                                             \
        CARRY_BLOCK(N)                                                                                     \
      }                                                                                                    \
    }                                                                                                      \
    for (; j + 4 <= k; j += 4) CARRY_LANES(0, j, N)                                                        \
    LANE_MAXIMA_MERGE                                                                                      \
    for (; j < k; j++) {                                                                                   \
      double e = s[j];                                                                                     \
      double d = lr * (e * rz);                                                                            \
      double x = w[j] - d;                                                                                 \
      w[j] = x;                                                                                            \
      double y = -d;                                                                                       \
      double h = a_[(N) - 1];                                                                              \
      for (int i_ = (N) - 2; i_ >= 0; i_--) h = fma(h, y, a_[i_]);                                         \
      s2[j] = fma(e, y * h, e);                                                                            \
      if (e > ms) ms = e;                                                                                  \
      if (x > mw) mw = x;                                                                                  \
    }                                                                                                      \
    *max_s = ms;                                                                                           \
    *max_w = mw;                                                                                           \
  }
/* One function per degree, and the switch that picks one. */
#define CARRY_FUNC(N, ATTR, SUFFIX)                                                                        \
  ATTR static void carry##N##SUFFIX(double *w, const double *s, double *s2, long k, double rz, double lr,  \
                                    double *max_s, double *max_w) UPDATE_CARRY_BODY(N)
#define UPDATE_CARRY_FUNCS(ATTR, SUFFIX)                                                                   \
  CARRY_FUNC(2, ATTR, SUFFIX)                                                                              \
  CARRY_FUNC(3, ATTR, SUFFIX)                                                                              \
  CARRY_FUNC(4, ATTR, SUFFIX)                                                                              \
  CARRY_FUNC(5, ATTR, SUFFIX)                                                                              \
  CARRY_FUNC(6, ATTR, SUFFIX)                                                                              \
  CARRY_FUNC(8, ATTR, SUFFIX)                                                                              \
  ATTR void ngk_update_carry##SUFFIX(double *w, const double *s, double *s2, long k, double rz, double lr,  \
                                     int degree, double *max_s, double *max_w) {                           \
    switch (degree) {                                                                                      \
    case 2: carry2##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                      \
    case 3: carry3##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                      \
    case 4: carry4##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                      \
    case 5: carry5##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                      \
    case 6: carry6##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                      \
    default: carry8##SUFFIX(w, s, s2, k, rz, lr, max_s, max_w); break;                                     \
    }                                                                                                      \
  }

#define EXP_BARRIER(v) ((void)0)
#undef LOOKUP4
#define LOOKUP4 LOOKUP4_PORTABLE
/* tail[i] and T[i]'s bits less i << 50 for i = the low two bits of each lane of tb. */
#define LOOKUP4_PORTABLE(tb, tail, sc)                                                                        \
  do {                                                                                                     \
    static const double tails_[4] = {EXP_TAIL0, EXP_TAIL1, EXP_TAIL2, EXP_TAIL3};                          \
    static const int64_t ts_[4] = {EXP_T0, EXP_T1, EXP_T2, EXP_T3};                                        \
    v4l s_;                                                                                                \
    for (int l_ = 0; l_ < 4; l_++) {                                                                       \
      tail[l_] = tails_[tb[l_] & 3];                                                                       \
      s_[l_] = ts_[tb[l_] & 3];                                                                            \
    }                                                                                                      \
    sc = (v4d)s_;                                                                                          \
  } while (0)
double ngk_exp_sum_portable(const double *w, double *s, long k, double m) EXP_SUM_BODY

void ngk_update_portable(double *w, const double *s, long k, double rz, double lr, double *max_s,
                         double *max_w) UPDATE_BODY

static void ngk_exp_store_portable(const double *w, double *s, long from, long to, long k, double m) EXP_STORE_BODY

double ngk_sum_portable(const double *s, long k, double *max_s) SUM_BODY

UPDATE_CARRY_FUNCS(, _portable)

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define NGK_HAVE_AVX2_BUILD 1
#undef EXP_BARRIER
/* An empty asm statement that takes v in a vector register and gives it back unchanged. */
#define EXP_BARRIER(v) __asm__ volatile("" : "+x"(v))
#undef LOOKUP4
#define LOOKUP4 LOOKUP4_AVX2
/* The same lookup with one cross-lane permute per table (vpermps over the four 64-bit entries as
 * eight 32-bit halves): lane l takes halves 2i and 2i + 1. vpermps reads the low three bits of
 * each 32-bit index, so the low half of tb << 1 already holds 2i; it is copied to the high half,
 * which gets + 1. */
typedef int v8i __attribute__((vector_size(32)));
typedef float v8f __attribute__((vector_size(32)));
#define LOOKUP4_AVX2(tb, tail, sc)                                                                          \
  do {                                                                                                     \
    const v8i i_ = __builtin_ia32_pshufd256((v8i)((tb) << 1), 0xA0) | (v8i){0, 1, 0, 1, 0, 1, 0, 1};       \
    tail = (v4d)__builtin_ia32_permvarsf256((v8f)(v4d){EXP_TAIL0, EXP_TAIL1, EXP_TAIL2, EXP_TAIL3}, i_);   \
    sc = (v4d)__builtin_ia32_permvarsf256((v8f)(v4l){EXP_T0, EXP_T1, EXP_T2, EXP_T3}, i_);                 \
  } while (0)
__attribute__((target("avx2,fma"))) static void ngk_exp_store_avx2(const double *w, double *s, long from, long to,
                                                                     long k, double m) EXP_STORE_BODY
__attribute__((target("avx2,fma"))) double ngk_exp_sum_avx2(const double *w, double *s, long k,
                                                               double m) EXP_SUM_BODY

__attribute__((target("avx2,fma"))) void ngk_update_avx2(double *w, const double *s, long k, double rz, double lr,
                                                            double *max_s, double *max_w) UPDATE_BODY

__attribute__((target("avx2,fma"))) double ngk_sum_avx2(const double *s, long k, double *max_s) SUM_BODY

UPDATE_CARRY_FUNCS(__attribute__((target("avx2,fma"))), _avx2)

int ngk_cpu_has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#else
double ngk_exp_sum_avx2(const double *w, double *s, long k, double m) { return ngk_exp_sum_portable(w, s, k, m); }
void ngk_update_avx2(double *w, const double *s, long k, double rz, double lr, double *max_s, double *max_w) {
  ngk_update_portable(w, s, k, rz, lr, max_s, max_w);
}
int ngk_cpu_has_avx2(void) { return 0; }
double ngk_sum_avx2(const double *s, long k, double *max_s) { return ngk_sum_portable(s, k, max_s); }
void ngk_update_carry_avx2(double *w, const double *s, double *s2, long k, double rz, double lr, int degree,
                           double *max_s, double *max_w) {
  ngk_update_carry_portable(w, s, s2, k, rz, lr, degree, max_s, max_w);
}
static void ngk_exp_store_avx2(const double *w, double *s, long from, long to, long k, double m) {
  ngk_exp_store_portable(w, s, from, to, k, m);
}
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

void ngk_update(double *w, const double *s, long k, double rz, double lr, double *max_s, double *max_w) {
  if (choice() == 2)
    ngk_update_avx2(w, s, k, rz, lr, max_s, max_w);
  else
    ngk_update_portable(w, s, k, rz, lr, max_s, max_w);
}

/* How many of s[0..k) are at least t (an integer: the same in both builds). */
#define COUNT_BODY                                                                                         \
  {                                                                                                        \
    long n = 0;                                                                                            \
    for (long j = 0; j < k; j++) n += s[j] >= t;                                                           \
    return n;                                                                                              \
  }
static long count_portable(const double *s, long k, double t) COUNT_BODY
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
__attribute__((target("avx2,fma"))) static long count_avx2(const double *s, long k, double t) COUNT_BODY
#else
static long count_avx2(const double *s, long k, double t) { return count_portable(s, k, t); }
#endif

long ngk_count_at_least(const double *s, long k, double t) {
  return choice() == 2 ? count_avx2(s, k, t) : count_portable(s, k, t);
}

double ngk_sum(const double *s, long k, double *max_s) {
  return choice() == 2 ? ngk_sum_avx2(s, k, max_s) : ngk_sum_portable(s, k, max_s);
}

/* The lowest degree whose truncation error, |y|^(n+1) / (n+1)! for |y| <= dmax, is below 2^-56
 * (an eighth of an ulp of 1); 0 past the last (or for NaN). */
int ngk_carry_degree(double dmax) {
  const double d = fabs(dmax);
  if (d <= 4.3e-6) return 2;
  if (d <= 1.35e-4) return 3;
  if (d <= 1.1e-3) return 4;
  if (d <= 4.6e-3) return 5;
  if (d <= 1.3e-2) return 6;
  if (d <= 5.5e-2) return 8;
  return 0;
}

void ngk_update_carry(double *w, const double *s, double *s2, long k, double rz, double lr, int degree,
                      double *max_s, double *max_w) {
  if (choice() == 2)
    ngk_update_carry_avx2(w, s, s2, k, rz, lr, degree, max_s, max_w);
  else
    ngk_update_carry_portable(w, s, s2, k, rz, lr, degree, max_s, max_w);
}

int ngk_fix_mmap_threshold(long bytes) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
  (void)bytes;
  return 0;
#endif
}

/* ---- Two threads inside one row (see NgramKernels.h). ----
 *
 * One step of a big row is split at h (a multiple of 16 near k/2): the driver takes columns
 * [0, h), the helper [h, k). The softmax sum keeps ngk_exp_sum's order because its eight lane
 * sums run over the blocks in order: the driver accumulates its blocks and hands the eight
 * partial sums over; the helper, which has stored its exps meanwhile, continues them over its
 * blocks, adds the lanes and the scalar tail in ngk_exp_sum's order, and publishes z. Each side
 * then updates its own columns; maxima and tie counts are merged exactly. If the helper has not
 * claimed its half by the time the driver's half is done (it may not be running), the driver
 * claims and does it itself: a step never waits for a thread that has not started. */
#include <sched.h>

#define ACC_BODY                                                                                           \
  {                                                                                                        \
    v4d za = LOAD4(acc), zb = LOAD4(acc + 4);                                                              \
    const v4d m4 = SPLAT(m);                                                                               \
    long j = from;                                                                                         \
    EXP_BLOCKS(to, STORE_SUMN)                                                                             \
    STORE4(acc, za);                                                                                       \
    STORE4(acc + 4, zb);                                                                                   \
  }

#define ADD_STORED_BODY                                                                                    \
  {                                                                                                        \
    v4d za = LOAD4(acc), zb = LOAD4(acc + 4);                                                              \
    for (long j = from; j + 8 <= to; j += 8) {                                                             \
      za += LOAD4(s + j);                                                                                  \
      zb += LOAD4(s + j + 4);                                                                              \
    }                                                                                                      \
    STORE4(acc, za);                                                                                       \
    STORE4(acc + 4, zb);                                                                                   \
  }

#undef EXP_BARRIER
#define EXP_BARRIER(v) ((void)0)
#undef LOOKUP4
#define LOOKUP4 LOOKUP4_PORTABLE
static void acc_portable(const double *w, double *s, long from, long to, double m, double *acc) ACC_BODY
static void add_stored_portable(const double *s, long from, long to, double *acc) ADD_STORED_BODY
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#undef EXP_BARRIER
#define EXP_BARRIER(v) __asm__ volatile("" : "+x"(v))
#undef LOOKUP4
#define LOOKUP4 LOOKUP4_AVX2
__attribute__((target("avx2,fma"))) static void acc_avx2(const double *w, double *s, long from, long to, double m,
                                                           double *acc) ACC_BODY
__attribute__((target("avx2,fma"))) static void add_stored_avx2(const double *s, long from, long to,
                                                                  double *acc) ADD_STORED_BODY
#else
static void acc_avx2(const double *w, double *s, long from, long to, double m, double *acc) {
  acc_portable(w, s, from, to, m, acc);
}
static void add_stored_avx2(const double *s, long from, long to, double *acc) { add_stored_portable(s, from, to, acc); }
#endif

struct ngk_team {
  /* generation << 1 | 1 once the helper's half is claimed (by either thread); -1: stop. */
  long job __attribute__((aligned(64)));
  long sums_ready __attribute__((aligned(64)));
  double acc[8];
  long z_ready __attribute__((aligned(64)));
  double z;
  long half_done __attribute__((aligned(64)));
  double max_s, max_w, s_target, w_target;
  /* The step, written by the driver before it publishes `job`. */
  double *w __attribute__((aligned(64)));
  double *s, *s2;
  long k, h, target;
  double m, head, lr, dnum;
  int degree;
  long generation;
};

ngk_team *ngk_team_new(void) {
  ngk_team *t = aligned_alloc(64, (sizeof(ngk_team) + 63) & ~(size_t)63);
  if (t) memset(t, 0, sizeof *t);
  return t;
}

void ngk_team_free(ngk_team *t) { free(t); }

static inline void relax(long *spins) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
  /* After a while of waiting, let another thread (or program) run. */
  if (++*spins > 4000) {
    *spins = 0;
    sched_yield();
  }
}

static inline void wait_for(long *flag, long g) {
  long spins = 0;
  while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != g) relax(&spins);
}

/* The helper's half of generation g: its exps (stored), then, with the driver's lane sums,
 * the sum, z, and the update of its columns. `acc` holds the driver's lane sums once
 * `sums_ready` is g. */
static void helper_half(ngk_team *t, long g, int wait_sums) {
  const int avx = choice() == 2;
  const long k = t->k, h = t->h, k8 = k & ~7L;
  double *w = t->w, *s = t->s;
  if (avx)
    ngk_exp_store_avx2(w, s, h, k, k, t->m);
  else
    ngk_exp_store_portable(w, s, h, k, k, t->m);
  if (wait_sums) wait_for(&t->sums_ready, g);
  double acc[8];
  memcpy(acc, t->acc, sizeof acc);
  if (avx)
    add_stored_avx2(s, h, k8, acc);
  else
    add_stored_portable(s, h, k8, acc);
  double z = FOLD_LANES(acc, acc + 4);
  for (long j = k8; j < k; j++) z += s[j];
  z = t->head + z;
  const double rz = 1.0 / z;
  const int degree = t->s2 ? ngk_carry_degree(t->dnum * rz) : 0;
  t->z = z;
  t->degree = degree;
  __atomic_store_n(&t->z_ready, g, __ATOMIC_RELEASE);
  if (t->target >= h && t->target < k) {
    t->s_target = s[t->target];
    t->w_target = w[t->target];
  }
  if (degree)
    ngk_update_carry(w + h, s + h, t->s2 + h, k - h, rz, t->lr, degree, &t->max_s, &t->max_w);
  else
    ngk_update(w + h, s + h, k - h, rz, t->lr, &t->max_s, &t->max_w);
  __atomic_store_n(&t->half_done, g, __ATOMIC_RELEASE);
}

void ngk_team_serve(ngk_team *t) {
  long seen = 0, spins = 0;
  for (;;) {
    long c = __atomic_load_n(&t->job, __ATOMIC_ACQUIRE);
    if (c == -1) return;
    long g = c >> 1;
    if (g != seen && !(c & 1)) {
      seen = g;
      spins = 0;
      if (__atomic_compare_exchange_n(&t->job, &c, c | 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        helper_half(t, g, 1);
    } else {
      relax(&spins);
    }
  }
}

void ngk_team_stop(ngk_team *t) { __atomic_store_n(&t->job, -1L, __ATOMIC_RELEASE); }

void ngk_team_step(ngk_team *t, double *w, double *s, double *s2, long k, double m, double head, double lr,
                   double dnum, long target, ngk_step_result *r) {
  const long g = ++t->generation;
  const long h = (k / 2) & ~15L;
  t->w = w;
  t->s = s;
  t->s2 = s2;
  t->k = k;
  t->h = h;
  t->m = m;
  t->head = head;
  t->lr = lr;
  t->dnum = dnum;
  t->target = target;
  __atomic_store_n(&t->job, g << 1, __ATOMIC_RELEASE);
  double acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  if (choice() == 2)
    acc_avx2(w, s, 0, h, m, acc);
  else
    acc_portable(w, s, 0, h, m, acc);
  memcpy(t->acc, acc, sizeof acc);
  __atomic_store_n(&t->sums_ready, g, __ATOMIC_RELEASE);
  long c = g << 1;
  int mine = __atomic_compare_exchange_n(&t->job, &c, c | 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
  if (mine)
    helper_half(t, g, 0);
  else
    wait_for(&t->z_ready, g);
  const double z = t->z;
  const int degree = t->degree;
  r->z = z;
  r->degree = degree;
  if (target < h) {
    r->s_target = s[target];
    r->w_target = w[target];
  }
  double ms, mw;
  if (degree)
    ngk_update_carry(w, s, s2, h, 1.0 / z, lr, degree, &ms, &mw);
  else
    ngk_update(w, s, h, 1.0 / z, lr, &ms, &mw);
  if (!mine) wait_for(&t->half_done, g);
  if (target >= h && target < k) {
    r->s_target = t->s_target;
    r->w_target = t->w_target;
  }
  /* Merge: the largest exp, the largest w. */
  r->max_s = ms > t->max_s ? ms : t->max_s;
  r->max_w = mw > t->max_w ? mw : t->max_w;
}
