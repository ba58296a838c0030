/*
 * traceback.c — backtraces of goroutines, printed in Go's format.
 *
 * Two ways to take one:
 *   - the running goroutine (or thread) unwinds itself with libgcc's
 *     unwinder, which follows DWARF call-frame information, so it works
 *     through code built without frame pointers;
 *   - a goroutine that is not running is walked from the registers that
 *     gort_ctx_switch saved on its stack: the return address into the
 *     function that switched, then the frame-pointer chain.  This needs
 *     frame pointers, which the runtime is built with and which the gort
 *     targets ask of the code that links them (-fno-omit-frame-pointer);
 *     where a function has none the walk stops early (never wrongly: every
 *     frame pointer must lie inside the goroutine's stack, above the last).
 *
 * Another thread may resume the goroutine while it is being walked, so the
 * walk reads only words inside that goroutine's stack bounds (memory that
 * stays mapped for as long as the descriptor holds the stack, except a
 * dedicated stack, which is read through process_vm_readv so that an unmap
 * meanwhile is an error rather than a fault), and the caller compares the
 * saved sp before and after to discard a torn walk.
 *
 * Symbols: with elfutils' libdwfl (GORT_HAVE_LIBDW) each pc becomes the
 * function, file and line from the binary's debug information, including
 * static functions and shared objects; without it, dladdr() names what the
 * dynamic symbol table names.  Symbolizing allocates and needs more stack
 * than a goroutine may have (libdwfl reads and decompresses debug info), so
 * it runs on one thread of its own, the symbolizer: tb_print hands it the
 * pcs and waits.  Being a thread that only ever runs this, it is also what
 * a signal handler hands its report to (tb_crash_report): it never holds
 * a lock the interrupted code might hold.
 *
 * What is printed is the user's part of the stack, as Go prints it: the
 * runtime's frames above the public call that blocked or panicked (a
 * `gort_*` function) are left out, and so are those below the goroutine's
 * function (its entry).  Runtime frames in between (a deferred call run
 * by gort_panic) stay.
 */
#include "internal.h"
#include "sigfmt.h"
#include "arch/ctx.h"
#include "sanitize.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include <unwind.h>

#ifdef GORT_HAVE_LIBDW
#include <elfutils/libdwfl.h>
#endif

/* ---- walking a stack that is not running -------------------------------- */

/* Reads n words at addr, which the caller has checked lie within the stack. */
NO_SANITIZE_ADDRESS static bool read_words(uintptr_t addr, uintptr_t *out, int n, bool may_unmap)
{
    if (!may_unmap) {
        /* word by word, not memcpy: ASan's memcpy would check the words
         * against the parked frames' poisoned red zones */
        for (int i = 0; i < n; i++)
            out[i] = ((const volatile uintptr_t *)addr)[i];
        return true;
    }
    struct iovec local = { out, (size_t)n * sizeof *out };
    struct iovec remote = { (void *)addr, (size_t)n * sizeof *out };
    return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) == (ssize_t)local.iov_len;
}

int tb_walk_frames(uintptr_t fp, uintptr_t lo, uintptr_t hi, bool may_unmap,
                   uintptr_t *pcs, int max)
{
    int n = 0;
    while (n < max) {
        uintptr_t w[2];   /* [fp] = caller's fp, [fp + 8] = return address */
        if (fp < lo || fp > hi - sizeof w || (fp & (sizeof(uintptr_t) - 1)))
            break;
        if (!read_words(fp, w, 2, may_unmap) || w[1] == 0)
            break;
        pcs[n++] = w[1];
        if (w[0] <= fp)
            break;   /* the chain must climb towards the stack's top */
        fp = w[0];
    }
    return n;
}

int tb_parked(const G *g, uintptr_t *pcs, int max)
{
    uintptr_t sp = (uintptr_t)ld_rlx((void *const *)&g->sp);
    uintptr_t lo = (uintptr_t)g->stk.lo, hi = (uintptr_t)g->stk.hi;
    bool may_unmap = g->stk.kind == STACK_KIND_DEDICATED;
    uintptr_t saved[2];   /* the switch frame's fp and return address */
    if (max < 1 || sp < lo || sp + CTX_FRAME_BYTES > hi)
        return 0;
    if (!read_words(sp + CTX_SAVED_FP_OFFSET, saved, 2, may_unmap) || saved[1] == 0)
        return 0;
    pcs[0] = saved[1];
    return 1 + tb_walk_frames(saved[0], sp, hi, may_unmap, pcs + 1, max - 1);
}

typedef struct unwind_state {
    uintptr_t *pcs;
    int n, max;
} unwind_state;

static _Unwind_Reason_Code unwind_one(struct _Unwind_Context *ctx, void *arg)
{
    unwind_state *u = arg;
    uintptr_t pc = (uintptr_t)_Unwind_GetIP(ctx);
    if (pc == 0 || u->n == u->max)
        return _URC_END_OF_STACK;
    u->pcs[u->n++] = pc;
    return _URC_NO_REASON;
}

/* libgcc's unwinder directly, not glibc's backtrace(): the sanitizers
 * intercept that one and add their own frame on top. */
int tb_self(uintptr_t *pcs, int max)
{
    unwind_state u = { pcs, 0, max };
    _Unwind_Backtrace(unwind_one, &u);
    return u.n;
}

/* ---- symbols ----------------------------------------------------------- */

typedef struct sym {
    const char *func;     /* NULL when unknown */
    uintptr_t   offset;   /* pc - function start */
    const char *file;     /* NULL when unknown */
    int         line;
    const char *object;   /* the binary or shared object, when no file */
} sym;

static rt_lock sym_lock = RT_LOCK_INIT(TB_SYM);

#ifdef GORT_HAVE_LIBDW
static Dwfl *dwfl;
static char *debuginfo_path;

/* Reports the process's mappings: at first use, and again when a pc falls
 * outside every module (a library dlopen'ed since). */
static bool dwfl_refresh(void)
{
    static const Dwfl_Callbacks callbacks = {
        .find_elf = dwfl_linux_proc_find_elf,
        .find_debuginfo = dwfl_standard_find_debuginfo,
        .debuginfo_path = &debuginfo_path,
    };
    if (!dwfl) {
        dwfl = dwfl_begin(&callbacks);
        if (!dwfl)
            return false;
    }
    dwfl_report_begin(dwfl);
    int rc = dwfl_linux_proc_report(dwfl, getpid());
    dwfl_report_end(dwfl, NULL, NULL);
    return rc == 0;
}

/* dwfl_module_getsrc finds the compilation unit through .debug_aranges,
 * which clang does not emit unless asked (-gdwarf-aranges): then look
 * through the module's units for the one that covers the address. */
static void line_by_cu_scan(Dwfl_Module *mod, uintptr_t addr, sym *out)
{
    Dwarf_Addr bias = 0;
    for (Dwarf_Die *cu = NULL; (cu = dwfl_module_nextcu(mod, cu, &bias)) != NULL;) {
        if (dwarf_haspc(cu, addr - bias) != 1)
            continue;
        Dwarf_Line *line = dwarf_getsrc_die(cu, addr - bias);
        int lineno = 0;
        const char *file = line ? dwarf_linesrc(line, NULL, NULL) : NULL;
        if (file && dwarf_lineno(line, &lineno) == 0) {
            out->file = file;
            out->line = lineno;
        }
        return;
    }
}

static bool symbolize_dwfl(uintptr_t pc, uintptr_t lookup, sym *out)
{
    static bool refreshed_for_miss;
    if (!dwfl && !dwfl_refresh())
        return false;
    Dwfl_Module *mod = dwfl_addrmodule(dwfl, lookup);
    if (!mod && !refreshed_for_miss) {
        refreshed_for_miss = true;
        if (dwfl_refresh())
            mod = dwfl_addrmodule(dwfl, lookup);
    }
    if (!mod)
        return false;
    GElf_Off off = 0;
    GElf_Sym elfsym;
    out->func = dwfl_module_addrinfo(mod, lookup, &off, &elfsym, NULL, NULL, NULL);
    out->offset = out->func ? (uintptr_t)off + (pc - lookup) : 0;
    out->object = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    Dwfl_Line *line = dwfl_module_getsrc(mod, lookup);
    if (line) {
        int lineno = 0;
        const char *file = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);
        if (file) {
            out->file = file;
            out->line = lineno;
        }
    } else {
        line_by_cu_scan(mod, lookup, out);
    }
    return true;
}
#endif

static void symbolize(uintptr_t pc, bool is_return_address, sym *out)
{
    memset(out, 0, sizeof *out);
    /* A return address is the instruction after the call: look up the
     * call itself, so the line is the caller's. */
    uintptr_t lookup = is_return_address ? pc - 1 : pc;
#ifdef GORT_HAVE_LIBDW
    if (symbolize_dwfl(pc, lookup, out) && out->func)
        return;
#endif
    Dl_info info;
    if (dladdr((void *)lookup, &info)) {
        if (!out->object)
            out->object = info.dli_fname;
        if (!out->func && info.dli_sname) {
            out->func = info.dli_sname;
            out->offset = pc - (uintptr_t)info.dli_saddr;
        }
    }
}

/* ---- printing ---------------------------------------------------------- */

/* The public entry points a goroutine blocks or panics in.  The switch
 * itself is named gort_ctx_* too but is the runtime's own. */
static bool is_api_frame(const char *func)
{
    return func && strncmp(func, "gort_", 5) == 0 && func[5] != '_' &&
           strcmp(func, "gort_ctx_switch") != 0 && strcmp(func, "gort_ctx_trampoline") != 0;
}

/* A frame of the runtime's own code: its source file is in this file's
 * directory.  Without line information, a function named gort_* (the API,
 * and the internals as namespace.h names them) or one that cannot be named
 * at all (the internals are hidden from the dynamic symbol table, which is
 * all dladdr sees) is taken for the runtime's. */
static bool is_runtime_frame(const sym *s)
{
    static const char here[] = __FILE__;
    const char *slash = strrchr(here, '/');
    size_t dir_len = slash ? (size_t)(slash - here) + 1 : 0;
    if (s->file && dir_len)
        return strncmp(s->file, here, dir_len) == 0;
    return !s->func || strncmp(s->func, "gort_", 5) == 0;
}

/* The frames worth showing, [*from, *to): the runtime's frames above the
 * public call that led into them, and below the goroutine's function, are
 * left out (Go hides gopark and goexit the same way). */
static void user_part(const sym *syms, int n, int *from, int *to)
{
    int i = 0, j = n;
    while (i < n && is_runtime_frame(&syms[i]))
        i++;
    if (i > 0 && i < n && is_api_frame(syms[i - 1].func))
        i--;
    if (i == n) {
        /* Nothing but the runtime: the goroutine's function called gort as
         * a tail call (a jump, no frame of its own), e.g. one whose last
         * statement is gort_chan_recv(...).  Show the public call it made;
         * with none (a runtime goroutine), only its innermost frame (the
         * runtime frames after it are trimmed below, as for any goroutine). */
        for (i = n - 1; i >= 0 && !is_api_frame(syms[i].func); i--) {
        }
        if (i < 0)
            i = 0;
        else
            j = i + 1;
    }
    while (j > i + 1 && is_runtime_frame(&syms[j - 1]))
        j--;
    *from = i;
    *to = j;
}

static void print_frame(int fd, uintptr_t pc, const sym *s)
{
    char buf[768];
    int n;
    if (s->file)
        n = snprintf(buf, sizeof buf, "%s(...)\n\t%s:%d +0x%lx\n", s->func ? s->func : "?",
                     s->file, s->line, (unsigned long)s->offset);
    else if (s->func)
        n = snprintf(buf, sizeof buf, "%s(...)\n\t%s +0x%lx\n", s->func,
                     s->object ? s->object : "?", (unsigned long)s->offset);
    else
        n = snprintf(buf, sizeof buf, "?(...)\n\t%s pc=%p\n", s->object ? s->object : "?",
                     (void *)pc);
    gort__write_all(fd, buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

static void print_symbolized(int fd, const uintptr_t *pcs, int n, bool first_is_exact)
{
    static sym syms[TB_MAX_FRAMES + 8];
    if (n > TB_MAX_FRAMES + 8)
        n = TB_MAX_FRAMES + 8;
    rt_lock_acquire(&sym_lock);   /* libdwfl is not thread-safe; syms is shared */
    for (int i = 0; i < n; i++)
        symbolize(pcs[i], !(i == 0 && first_is_exact), &syms[i]);
    int start, end;
    user_part(syms, n, &start, &end);
    int shown = end - start > TB_MAX_FRAMES ? TB_MAX_FRAMES : end - start;
    for (int i = start; i < start + shown; i++)
        print_frame(fd, pcs[i], &syms[i]);
    if (shown < end - start)
        gort__puts(fd, "...additional frames elided...\n");
    rt_lock_release(&sym_lock);
}

/* ---- the symbolizer thread --------------------------------------------- */

#define SYMBOLIZER_STACK ((size_t)8 << 20)   /* reserved; touched as used */

static int sym_pipe[2] = { -1, -1 };
static pid_t sym_pid;             /* the process that has the thread (not a forked child) */
static __thread bool on_symbolizer;
static rt_lock start_lock = RT_LOCK_INIT(TB_START), call_lock = RT_LOCK_INIT(TB_CALL);
static struct {
    int fd, n;
    const uintptr_t *pcs;
    bool first_is_exact;
    uint32_t done;
} call;
static void (*crash_fn)(void);
/* One errand at a time for the thread: work the runtime's other threads
 * must not do themselves because it may block (preempt.c's map of the
 * loaded objects, which waits for the dynamic loader's lock). */
static void (*errand_fn)(void);
static uint32_t errand_pending;   /* atomic: 1 from the request until it starts */

static void *symbolizer_main(void *unused)
{
    (void)unused;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    on_symbolizer = true;
    for (;;) {
        char c;
        if (read(sym_pipe[0], &c, 1) != 1)
            continue;
        if (c == 'r') {
            crash_fn();
            _exit(2);
        }
        if (c == 'e') {
            void (*fn)(void) = ld_acq(&errand_fn);
            st_rel(&errand_pending, 0);
            fn();
            continue;
        }
        race_acquire(&call);   /* the requester's state (TSan: the pipe is hidden) */
        print_symbolized(call.fd, call.pcs, call.n, call.first_is_exact);
        race_release(&call);   /* what was written, to the requester */
        st_rel(&call.done, 1);
        futex_wake(&call.done, 1);
    }
    return NULL;
}

/* Starts the thread in this process, if it has none yet (a child forked
 * from a running program inherits no threads). */
static bool symbolizer_ready(void)
{
    if (ld_acq(&sym_pid) == getpid())
        return true;
    rt_lock_acquire(&start_lock);
    bool ok = ld_acq(&sym_pid) == getpid();
    if (!ok) {
        if (sym_pipe[0] >= 0) {
            close(sym_pipe[0]);
            close(sym_pipe[1]);
            sym_pipe[0] = sym_pipe[1] = -1;
        }
        pthread_attr_t attr;
        pthread_t t;
        if (pipe2(sym_pipe, O_CLOEXEC) == 0 && pthread_attr_init(&attr) == 0) {
            pthread_attr_setstacksize(&attr, SYMBOLIZER_STACK);
            pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
            ok = pthread_create(&t, &attr, symbolizer_main, NULL) == 0;
            if (ok) {
                pthread_setname_np(t, "gort-symbolizer");
                st_rel(&sym_pid, getpid());
                xadd(&sched.system_threads, 1);   /* not a thread checkdead waits for */
            }
            pthread_attr_destroy(&attr);
        }
    }
    rt_lock_release(&start_lock);
    return ok;
}

void tb_start(void) { symbolizer_ready(); }

void tb_print(int fd, const uintptr_t *pcs, int n, bool first_is_exact)
{
    if (on_symbolizer || !symbolizer_ready()) {
        print_symbolized(fd, pcs, n, first_is_exact);
        return;
    }
    /* The caller's P stays with it while it waits here: a dump is meant to
     * see the goroutines as they are, not to let them run meanwhile. */
    M *m = gort__getm();
    if (m)
        st_rel(&m->runtime_wait, 1);
    rt_lock_acquire(&call_lock);
    call.fd = fd;
    call.pcs = pcs;
    call.n = n;
    call.first_is_exact = first_is_exact;
    st_rel(&call.done, 0);
    race_release(&call);
    if (write(sym_pipe[1], "p", 1) == 1) {
        while (ld_acq(&call.done) == 0)
            futex_wait(&call.done, 0, NULL);
        race_acquire(&call);
    } else {
        print_symbolized(fd, pcs, n, first_is_exact);
    }
    rt_lock_release(&call_lock);
    if (m)
        st_rel(&m->runtime_wait, 0);
}

bool tb_errand(void (*fn)(void))
{
    if (ld_acq(&sym_pid) != getpid() || !cas(&errand_pending, 0, 1))
        return false;
    st_rel(&errand_fn, fn);
    if (write(sym_pipe[1], "e", 1) == 1)
        return true;
    st_rel(&errand_pending, 0);
    return false;
}

bool tb_crash_report(void (*report)(void))
{
    if (ld_acq(&sym_pid) != getpid())
        return false;
    crash_fn = report;
    return write(sym_pipe[1], "r", 1) == 1;
}

/* Raw addresses only: what a signal handler can print when the thread
 * that symbolizes cannot be reached. */
void tb_print_raw(int fd, const uintptr_t *pcs, int n)
{
    for (int i = 0; i < n; i++) {
        sigfmt f = { .n = 0 };
        sf_str(&f, "\tpc=");
        sf_hex(&f, pcs[i]);
        sf_str(&f, "\n");
        gort__write_all(fd, f.buf, f.n);
    }
}
