/* The start-up yardstick of scripts/static-binary.sh: a C program that prints one line, as
   `ngram-tui --version` does. */
#include <stdio.h>

int main(void) {
  puts("2.0.0");
  return 0;
}
