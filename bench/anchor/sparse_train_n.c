/* The shared C yardstick (sparse_train.c) with the context length as a parameter: context ids[i..i+n-1]
 * (packed into one key), target ids[i+n]; n = 0 is the unigram's single row.
 * Otherwise line for line the anchor for the performance bar: the exact sparse trainer, single thread, plain C.
 * Input: a file of whitespace-separated integer token ids (already tokenized), epochs, lr.
 * Output: the train log (epoch,avg_loss,accuracy). Build: cc -O3 -march=native -o sparse_train_n sparse_train_n.c -lm
 * It exists to measure how close the project's trainer comes to a straightforward C implementation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { long key; int row; } Slot;

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: %s IDS_FILE EPOCHS LR CONTEXT_LENGTH\n", argv[0]); return 2; }
  FILE *f = fopen(argv[1], "r"); int epochs = atoi(argv[2]); double lr = atof(argv[3]); int N = atoi(argv[4]);
  long n = 0, cap = 1 << 20; int *ids = malloc(cap * sizeof(int)); int v = 0, V = 0;
  while (fscanf(f, "%d", &v) == 1) { if (n == cap) ids = realloc(ids, (cap *= 2) * sizeof(int)); ids[n++] = v; if (v + 1 > V) V = v + 1; }
  long P = n - N; long hs = 1; while (hs < 2 * P) hs <<= 1;
  Slot *h = malloc(hs * sizeof(Slot)); for (long i = 0; i < hs; i++) h[i].key = -1;
  int *rowOf = malloc(P * sizeof(int)); int R = 0;
  for (long i = 0; i < P; i++) {
    long key = 0; for (int j = 0; j < N; j++) key = key * V + ids[i + j]; unsigned long x = (unsigned long)key * 0x9E3779B97F4A7C15ul; long s = x & (hs - 1);
    while (h[s].key != -1 && h[s].key != key) s = (s + 1) & (hs - 1);
    if (h[s].key == -1) { h[s].key = key; h[s].row = R++; }
    rowOf[i] = h[s].row;
  }
  long *off = calloc(R + 1, sizeof(long)); for (long i = 0; i < P; i++) off[rowOf[i] + 1]++;
  for (int r = 0; r < R; r++) off[r + 1] += off[r];
  long *fill = malloc((R + 1) * sizeof(long)); memcpy(fill, off, (R + 1) * sizeof(long));
  int *tg = malloc(P * sizeof(int)); for (long i = 0; i < P; i++) tg[fill[rowOf[i]]++] = ids[i + N];
  double *L = calloc(epochs, sizeof(double)); long *C = calloc(epochs, sizeof(long));
  int *cols = malloc(V * sizeof(int)); double *w = malloc(V * sizeof(double)), *ex = malloc(V * sizeof(double));
  for (int r = 0; r < R; r++) {
    int k = 0; double w0 = 0; int lowDefault = 0; /* lowest column id not yet explicit */
    for (int e = 0; e < epochs; e++) {
      double Le = 0; long Ce = 0;
      for (long p = off[r]; p < off[r + 1]; p++) {
        int t = tg[p]; int nd = V - k; double m = nd > 0 ? w0 : -INFINITY;
        for (int j = 0; j < k; j++) if (w[j] > m) m = w[j];
        double e0 = exp(w0 - m), z = nd * e0; int ti = -1;
        for (int j = 0; j < k; j++) { ex[j] = exp(w[j] - m); z += ex[j]; if (cols[j] == t) ti = j; }
        double pt = (ti >= 0 ? ex[ti] : e0) / z; Le += -log(pt > 1e-12 ? pt : 1e-12);
        int best = nd > 0 ? lowDefault : 0x7fffffff; double bw = nd > 0 ? e0 : -1;
        for (int j = 0; j < k; j++) if (ex[j] > bw || (ex[j] == bw && cols[j] < best)) { bw = ex[j]; best = cols[j]; }
        if (best == t) Ce++;
        double p0 = e0 / z;
        for (int j = 0; j < k; j++) w[j] -= lr * (ex[j] / z - (j == ti ? 1.0 : 0.0));
        if (ti < 0) {
          cols[k] = t; w[k] = w0 - lr * (p0 - 1.0); k++;
          if (t == lowDefault) { for (;;) { int used = 0; lowDefault++; for (int j = 0; j < k; j++) if (cols[j] == lowDefault) { used = 1; break; } if (!used) break; } }
        }
        w0 -= lr * p0;
      }
      L[e] += Le; C[e] += Ce;
    }
  }
  printf("epoch,avg_loss,accuracy\n");
  for (int e = 0; e < epochs; e++) printf("%d,%.8f,%.6f\n", e + 1, L[e] / P, (double)C[e] / P);
  return 0;
}
