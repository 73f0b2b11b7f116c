/*
 * What the machine's memory lets two threads gain on the e-commerce mean, without V8 or
 * Dusk: a compiled loop sums a 400 MB float64 array (50M rows, the bench's total_sales
 * column) on one thread, then split in halves on two, alternating, and prints the medians.
 * A mean has to read every byte of its column, so nothing running on these two cores can
 * finish it sooner than two threads of this loop do.
 *
 *     gcc -O2 -march=native -pthread examples/compare/membw.c -o /tmp/membw
 *     /tmp/membw [rounds] [sync_ms]
 *
 * With `sync_ms` (Dusk's sync mean from `npm run bench dataframe`), it also counts the
 * rounds in which two threads of this loop took at most sync_ms / 1.8: the rounds in which
 * the hardware allowed issue #4's "threads >= 1.8x sync" for that mean at all.
 * Not part of the build or the tests (no C compiler is needed to use Dusk).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROWS 50000000L

static double *column;

struct half {
  long from, to;
  double sum;
};

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Four independent sums, as Dusk's generated loops keep (one chain waits on its adds). */
static void *sum_half(void *arg) {
  struct half *h = arg;
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (long i = h->from; i < h->to; i += 4) {
    s0 += column[i];
    s1 += column[i + 1];
    s2 += column[i + 2];
    s3 += column[i + 3];
  }
  h->sum = s0 + s1 + s2 + s3;
  return NULL;
}

static int by_value(const void *a, const void *b) {
  double d = *(const double *)a - *(const double *)b;
  return (d > 0) - (d < 0);
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 41;
  double sync_ms = argc > 2 ? atof(argv[2]) : 0;
  if (rounds < 1) rounds = 1;
  column = aligned_alloc(64, ROWS * sizeof(double));
  double *one = malloc(rounds * sizeof(double));
  double *two = malloc(rounds * sizeof(double));
  if (!column || !one || !two) {
    fprintf(stderr, "membw: cannot allocate 400 MB\n");
    return 1;
  }
  for (long i = 0; i < ROWS; i++) column[i] = (double)(i % 1000) * 0.5;
  double check = 0;
  int allowed = 0;
  for (int r = 0; r < rounds; r++) {
    struct half all = {0, ROWS, 0};
    double t = now_ms();
    sum_half(&all);
    one[r] = now_ms() - t;
    struct half halves[2] = {{0, ROWS / 2, 0}, {ROWS / 2, ROWS, 0}};
    pthread_t other;
    t = now_ms();
    pthread_create(&other, NULL, sum_half, &halves[1]);
    sum_half(&halves[0]);
    pthread_join(other, NULL);
    two[r] = now_ms() - t;
    if (sync_ms > 0 && two[r] <= sync_ms / 1.8) allowed++;
    check += all.sum - halves[0].sum - halves[1].sum;
  }
  qsort(one, rounds, sizeof(double), by_value);
  qsort(two, rounds, sizeof(double), by_value);
  double gb = ROWS * sizeof(double) / 1e6;
  double m1 = one[rounds / 2], m2 = two[rounds / 2];
  printf("sum of 400 MB, medians of %d rounds: 1 thread %.2f ms (%.1f GB/s), 2 threads %.2f ms "
         "(%.1f GB/s), %.2fx; fastest %.2f / %.2f ms%s\n",
         rounds, m1, gb / m1, m2, gb / m2, m1 / m2, one[0], two[0],
         check == 0 ? "" : " (halves disagree)");
  if (sync_ms > 0)
    printf("rounds with 2 threads at or under %.2f ms (1.8x a sync mean of %.2f ms, %.1f GB/s "
           "on 2 threads): %d of %d\n",
           sync_ms / 1.8, sync_ms, gb / (sync_ms / 1.8), allowed, rounds);
  return 0;
}
