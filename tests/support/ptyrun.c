/*
 * ptyrun LOG COMMAND [ARG...]: runs COMMAND with its standard error on a
 * pseudo-terminal and copies everything it writes there to LOG.
 *
 * Why not script(1): script stops reading the terminal when the child
 * exits, so under CPU load the last bytes (the escape that clears the
 * progress line) were sometimes lost, and tests/cli/main/progress.sh
 * failed 2 runs in 4. Here the parent reads the master side until the
 * kernel reports that every slave descriptor is closed (read fails with
 * EIO, or returns 0), which happens only after the child and anything it
 * started have exited: nothing written is lost, however slow the machine.
 * Standard input and output are the caller's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ptyrun LOG COMMAND [ARG...]\n");
    return 2;
  }
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    perror("ptyrun: posix_openpt");
    return 2;
  }
  const char *name = ptsname(master);
  int slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
  if (slave < 0) {
    perror("ptyrun: open the slave");
    return 2;
  }
  FILE *log = fopen(argv[1], "wb");
  if (!log) {
    perror(argv[1]);
    return 2;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("ptyrun: fork");
    return 2;
  }
  if (pid == 0) {
    close(master);
    if (dup2(slave, STDERR_FILENO) < 0) _exit(127);
    close(slave);
    execvp(argv[2], argv + 2);
    _exit(127);
  }
  close(slave); /* from now on only the child holds the slave open */
  char buf[4096];
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      if (fwrite(buf, 1, (size_t)n, log) != (size_t)n) {
        perror(argv[1]);
        return 2;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break; /* EIO (Linux) or 0: no slave descriptor is left open */
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      perror("ptyrun: waitpid");
      return 2;
    }
  if (fclose(log) != 0) {
    perror(argv[1]);
    return 2;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
