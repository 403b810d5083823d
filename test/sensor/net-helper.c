/* Test helper for the sensor's socket and fd-list suites.
 *   net-helper tcp4|tcp6   listen on loopback, connect, accept; prints "CLIENT_PORT SERVER_PORT"
 *   net-helper unix PATH    the same over a unix socket bound at PATH; prints "ok"
 *   net-helper hold FILE    opens FILE, prints "ready", waits for a line on stdin, then reads the
 *                           file through the fd it opened before (an fd the capture did not see open) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int tcp(int v6)
{
	int fam = v6 ? AF_INET6 : AF_INET;
	struct sockaddr_storage ss = {0};
	socklen_t len;
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *a;
	}
	int srv = socket(fam, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&ss, len) || listen(srv, 1)) return perror("listen"), 1;
	socklen_t l = sizeof ss;
	getsockname(srv, (struct sockaddr *)&ss, &l);
	int cli = socket(fam, SOCK_STREAM, 0);
	if (connect(cli, (struct sockaddr *)&ss, len)) return perror("connect"), 1;
	int acc = accept(srv, NULL, NULL);
	if (acc < 0) return perror("accept"), 1;
	struct sockaddr_storage me;
	l = sizeof me;
	getsockname(cli, (struct sockaddr *)&me, &l);
	unsigned cport = ntohs(v6 ? ((struct sockaddr_in6 *)&me)->sin6_port : ((struct sockaddr_in *)&me)->sin_port);
	unsigned sport = ntohs(v6 ? ((struct sockaddr_in6 *)&ss)->sin6_port : ((struct sockaddr_in *)&ss)->sin_port);
	printf("%u %u\n", cport, sport);
	close(acc);
	close(cli);
	close(srv);
	return 0;
}

static int unix_pair(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	unlink(path);
	int srv = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&a, sizeof a) || listen(srv, 1)) return perror("listen"), 1;
	int cli = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(cli, (struct sockaddr *)&a, sizeof a)) return perror("connect"), 1;
	int acc = accept(srv, NULL, NULL);
	if (acc < 0) return perror("accept"), 1;
	printf("ok\n");
	close(acc);
	close(cli);
	close(srv);
	unlink(path);
	return 0;
}

static int hold(const char *file)
{
	int fd = open(file, O_RDONLY);
	if (fd < 0) return perror("open"), 1;
	printf("ready %d\n", fd);
	fflush(stdout);
	char line[64], buf[256];
	if (!fgets(line, sizeof line, stdin)) return 1;
	ssize_t n = read(fd, buf, sizeof buf);
	printf("read %zd\n", n);
	return n < 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "tcp4")) return tcp(0);
	if (argc >= 2 && !strcmp(argv[1], "tcp6")) return tcp(1);
	if (argc >= 3 && !strcmp(argv[1], "unix")) return unix_pair(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "hold")) return hold(argv[2]);
	fprintf(stderr, "usage: net-helper tcp4|tcp6|unix PATH|hold FILE\n");
	return 2;
}
