/* Test helper for the clone-family interop test: creates children through each entry the sensor
 * writes both sides of (glibc fork -> clone, the raw fork syscall, vfork, a pthread -> clone3 or
 * clone), each child exiting at once, and waits for all of them; then a clone the kernel refuses
 * (CLONE_SIGHAND without CLONE_VM: EINVAL), whose caller-side exit carries the error. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_main(void *arg) { return arg; }

int main(void)
{
	pid_t p = fork();
	if (p == 0) _exit(0);
	waitpid(p, NULL, 0);
	p = (pid_t)syscall(SYS_fork);
	if (p == 0) _exit(0);
	waitpid(p, NULL, 0);
	p = vfork();
	if (p == 0) _exit(0);
	waitpid(p, NULL, 0);
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, NULL) == 0) pthread_join(t, NULL);
	syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0);
	return 0;
}
