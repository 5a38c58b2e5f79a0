/* main.c — placeholder until the command line lands (issue 3). */
#include <stdio.h>

#include "graph.h"

int main(void)
{
    puts("bptutor " BPTUTOR_VERSION);
    return 0;
}
