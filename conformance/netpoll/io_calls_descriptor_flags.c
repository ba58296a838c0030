// What the I/O calls do to a descriptor's flags.  gort_read and gort_write
// on a socket leave its flags alone (they use MSG_DONTWAIT), so a socket
// created blocking is still blocking afterwards; on anything else (a pipe)
// they set O_NONBLOCK and leave it set, as Go does.  gort_accept (the
// listening socket) and gort_connect (the connecting socket) set
// O_NONBLOCK.  In every case the calls did what they should (the data
// arrived, the connection was accepted).
// gort-test: env=GOMAXPROCS=2
#include "np.h"

#include <sys/un.h>

static int main_fn(int argc, char **argv)
{
    (void)argc; (void)argv;
    int sv[2];
    np_socketpair(sv);
    CHECK(!np_is_nonblocking(sv[0]) && !np_is_nonblocking(sv[1]));
    CHECK_EQ_INT(gort_write(sv[1], "ab", 2, NULL), 2);
    CHECK_MSG(!np_is_nonblocking(sv[1]), "gort_write made socket %d non-blocking", sv[1]);
    char buf[4] = { 0 };
    CHECK_EQ_INT(gort_read(sv[0], buf, sizeof buf, NULL), 2);
    CHECK(memcmp(buf, "ab", 2) == 0);
    CHECK_MSG(!np_is_nonblocking(sv[0]), "gort_read made socket %d non-blocking", sv[0]);

    int pp[2];
    CHECK_EQ_INT(pipe(pp), 0);
    CHECK(!np_is_nonblocking(pp[0]) && !np_is_nonblocking(pp[1]));
    CHECK_EQ_INT(gort_write(pp[1], "cd", 2, NULL), 2);
    CHECK_MSG(np_is_nonblocking(pp[1]), "gort_write left pipe %d blocking", pp[1]);
    CHECK_EQ_INT(gort_read(pp[0], buf, sizeof buf, NULL), 2);
    CHECK(memcmp(buf, "cd", 2) == 0);
    CHECK_MSG(np_is_nonblocking(pp[0]), "gort_read left pipe %d blocking", pp[0]);
    close(pp[0]); close(pp[1]);

    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(lfd >= 0);
    struct sockaddr_un autobind = { .sun_family = AF_UNIX };   /* Linux autobind: an abstract address */
    CHECK_EQ_INT(bind(lfd, (struct sockaddr *)&autobind, sizeof(sa_family_t)), 0);
    CHECK_EQ_INT(listen(lfd, 8), 0);
    struct sockaddr_un addr;
    socklen_t alen = sizeof addr;
    CHECK_EQ_INT(getsockname(lfd, (struct sockaddr *)&addr, &alen), 0);
    int cfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CHECK(cfd >= 0);
    CHECK(!np_is_nonblocking(lfd) && !np_is_nonblocking(cfd));
    int cr = gort_connect(cfd, (struct sockaddr *)&addr, alen, NULL);
    CHECK_MSG(cr == 0, "gort_connect returned %d (%s)", cr, np_strerror(cr));
    CHECK_MSG(np_is_nonblocking(cfd), "gort_connect left descriptor %d blocking", cfd);
    int afd = gort_accept(lfd, NULL, NULL, NULL);
    CHECK_MSG(afd >= 0, "gort_accept returned %d (%s)", afd, np_strerror(afd));
    CHECK_MSG(np_is_nonblocking(lfd), "gort_accept left the listening descriptor %d blocking", lfd);
    CHECK_EQ_INT(write(cfd, "z", 1), 1);
    CHECK_EQ_INT(read(afd, buf, 1), 1);
    CHECK_EQ_INT(buf[0], 'z');

    close(afd); close(cfd); close(lfd);
    close(sv[0]); close(sv[1]);
    return 0;
}

GORT_MAIN(main_fn)
