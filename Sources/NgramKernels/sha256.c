/* See include/NgramKernels.h: the SHA-256 block function (FIPS 180-4), portable and with the x86
 * SHA extensions (SHA-NI), chosen once at run time from the CPU (cpuid); both give the same
 * state for the same blocks (they compute the same function; tested on the standard vectors). */
#include "NgramKernels.h"

#include <stddef.h>
#include <stdint.h>

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

void ngk_sha256_blocks_portable(uint32_t state[8], const unsigned char *p, long count) {
  uint32_t w[64];
  for (long b = 0; b < count; b++, p += 64) {
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
             (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
      uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], bb = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
      uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
      uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = bb;
      bb = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += bb;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

/* The SHA-NI rounds: the state is kept as ABEF and CDGH; each group of four rounds adds its four
 * message words and constants and runs two sha256rnds2; message groups from the fifth on come
 * from sha256msg1/msg2 of the four before. */
__attribute__((target("sha,sse4.1,ssse3"))) void ngk_sha256_blocks_shani(uint32_t state[8], const unsigned char *p,
                                                                         long count) {
  const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i st1 = _mm_loadu_si128((const __m128i *)&state[4]);
  tmp = _mm_shuffle_epi32(tmp, 0xB1);      /* CDAB */
  st1 = _mm_shuffle_epi32(st1, 0x1B);      /* EFGH */
  __m128i st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
  st1 = _mm_blend_epi16(st1, tmp, 0xF0);   /* CDGH */
  for (long b = 0; b < count; b++, p += 64) {
    const __m128i abef = st0, cdgh = st1;
    __m128i m[4];
    for (int i = 0; i < 16; i++) {
      __m128i w;
      if (i < 4) {
        w = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), mask);
      } else {
        __m128i x = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
        w = _mm_sha256msg2_epu32(x, m[(i + 3) & 3]);
      }
      m[i & 3] = w;
      __m128i msg = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&K256[4 * i]));
      st1 = _mm_sha256rnds2_epu32(st1, st0, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      st0 = _mm_sha256rnds2_epu32(st0, st1, msg);
    }
    st0 = _mm_add_epi32(st0, abef);
    st1 = _mm_add_epi32(st1, cdgh);
  }
  tmp = _mm_shuffle_epi32(st0, 0x1B);    /* FEBA */
  st1 = _mm_shuffle_epi32(st1, 0xB1);    /* DCHG */
  st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
  st1 = _mm_alignr_epi8(st1, tmp, 8);    /* ABEF */
  _mm_storeu_si128((__m128i *)&state[0], st0);
  _mm_storeu_si128((__m128i *)&state[4], st1);
}

int ngk_cpu_has_sha(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  int ssse3 = (c >> 9) & 1, sse41 = (c >> 19) & 1;
  if (__get_cpuid_max(0, 0) < 7) return 0;
  __cpuid_count(7, 0, a, b, c, d);
  return ssse3 && sse41 && ((b >> 29) & 1);
}
#else
void ngk_sha256_blocks_shani(uint32_t state[8], const unsigned char *p, long count) {
  ngk_sha256_blocks_portable(state, p, count);
}
int ngk_cpu_has_sha(void) { return 0; }
#endif

/* 0: not decided yet, 1: portable, 2: SHA-NI. Every thread that finds 0 computes the same value. */
static int sha_chosen = 0;

int ngk_uses_sha_ni(void) {
  int c = __atomic_load_n(&sha_chosen, __ATOMIC_RELAXED);
  if (c == 0) {
    c = ngk_cpu_has_sha() ? 2 : 1;
    __atomic_store_n(&sha_chosen, c, __ATOMIC_RELAXED);
  }
  return c == 2;
}

void ngk_sha256_blocks(uint32_t state[8], const unsigned char *p, long count) {
  if (ngk_uses_sha_ni())
    ngk_sha256_blocks_shani(state, p, count);
  else
    ngk_sha256_blocks_portable(state, p, count);
}
