#ifndef FACTEUR_CNCURSESW_SHIM_H
#define FACTEUR_CNCURSESW_SHIM_H

// Wide-character API (mvwaddnwstr, wget_wch, cchar_t) needs these before the include.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <pty.h>
#include <wchar.h>

/// Columns a character takes under the current LC_CTYPE (-1 = not printable).
static inline int facteur_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }

// Swift cannot see the attribute macros nor read the non-Sendable globals
// (stdscr, LINES, COLS, COLORS, COLOR_PAIRS, ESCDELAY): expose them here.
static inline WINDOW *facteur_stdscr(void) { return stdscr; }
static inline int facteur_lines(void) { return LINES; }
static inline int facteur_cols(void) { return COLS; }
static inline int facteur_colors(void) { return COLORS; }
static inline int facteur_color_pairs(void) { return COLOR_PAIRS; }
static inline int facteur_maxy(WINDOW *w) { return getmaxy(w); }
static inline int facteur_maxx(WINDOW *w) { return getmaxx(w); }

static inline unsigned int facteur_a_normal(void) { return (unsigned int)A_NORMAL; }
static inline unsigned int facteur_a_bold(void) { return (unsigned int)A_BOLD; }
static inline unsigned int facteur_a_dim(void) { return (unsigned int)A_DIM; }
static inline unsigned int facteur_a_underline(void) { return (unsigned int)A_UNDERLINE; }
static inline unsigned int facteur_a_reverse(void) { return (unsigned int)A_REVERSE; }
static inline unsigned int facteur_a_standout(void) { return (unsigned int)A_STANDOUT; }
static inline unsigned int facteur_a_italic(void) { return (unsigned int)A_ITALIC; }

/// Sets attributes and colour pair for the following writes to `w`.
static inline int facteur_set_attr(WINDOW *w, unsigned int attrs, short pair) {
    return wattr_set(w, (attr_t)attrs, pair, NULL);
}

/// Writes up to n wide characters at (y, x).
static inline int facteur_put_wide(WINDOW *w, int y, int x, const wchar_t *s, int n) {
    return mvwaddnwstr(w, y, x, s, n);
}

/// Reads up to n wide characters of the virtual screen at (y, x) (tests only).
static inline int facteur_read_wide(WINDOW *w, int y, int x, wchar_t *s, int n) {
    return mvwinnwstr(w, y, x, s, n);
}

/// The current size of the terminal on `fd`, or -1 when the ioctl fails.
static inline int facteur_terminal_size(int fd, int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}

/// Sets the size of a pseudo-terminal (tests).
static inline int facteur_set_terminal_size(int fd, int rows, int cols) {
    struct winsize ws = {0};
    ws.ws_row = (unsigned short)rows; ws.ws_col = (unsigned short)cols;
    return ioctl(fd, TIOCSWINSZ, &ws);
}

/// Same, as a boolean for Swift.
static inline _Bool facteur_terminal_size_fd(int fd, int *rows, int *cols) {
    return facteur_terminal_size(fd, rows, cols) == 0;
}

#endif
