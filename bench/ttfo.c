/*
** ttfo.c — time to first output. Usage: ttfo OUTFILE CMD [ARG...]
** Runs CMD with stdin from /dev/null and its stdout on a pipe, copies what it
** writes to OUTFILE, and prints "FIRST END CPU" in seconds: when the first
** byte arrived and when the command had exited (since the start), and the
** command's user + system time (steadier than wall time on a busy machine).
** Exits with the command's status (128 + signal when it was killed).
*/
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: ttfo OUTFILE CMD [ARG...]\n");
    return 2;
  }
  FILE *out = fopen(argv[1], "wb");
  int fd[2];
  if (!out || pipe(fd) != 0) {
    perror("ttfo");
    return 2;
  }
  double t0 = now(), first = -1;
  pid_t pid = fork();
  if (pid < 0) {
    perror("ttfo: fork");
    return 2;
  }
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(fd[1], 1) < 0)
      _exit(127);
    close(fd[0]);
    close(fd[1]);
    execvp(argv[2], argv + 2);
    perror("ttfo: exec");
    _exit(127);
  }
  close(fd[1]);
  char buf[1 << 16];
  ssize_t n;
  while ((n = read(fd[0], buf, sizeof buf)) > 0) {
    if (first < 0)
      first = now() - t0;
    fwrite(buf, 1, (size_t)n, out);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("ttfo: wait4");
    return 2;
  }
  double end = now() - t0;
  if (first < 0)
    first = end;  /* no output at all: the first byte is never earlier */
  double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  printf("%.6f %.6f %.6f\n", first, end, cpu);
  if (fclose(out) != 0) {
    perror("ttfo");
    return 2;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
