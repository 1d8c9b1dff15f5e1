#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h> /* macOS and systems that install the wide-character header as curses.h */
#endif
#else
#include <ncursesw/curses.h>
#endif

/* Wrappers for ncurses macros and globals, which Swift cannot import directly. */
static inline WINDOW *ngt_stdscr(void) { return stdscr; }
static inline int ngt_lines(void) { return LINES; }
static inline int ngt_cols(void) { return COLS; }
static inline int ngt_colors(void) { return COLORS; }
static inline int ngt_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int ngt_getmaxy(WINDOW *w) { return getmaxy(w); }
static inline int ngt_getmaxx(WINDOW *w) { return getmaxx(w); }
static inline attr_t ngt_a_bold(void) { return A_BOLD; }
static inline attr_t ngt_a_reverse(void) { return A_REVERSE; }
static inline attr_t ngt_a_underline(void) { return A_UNDERLINE; }
static inline attr_t ngt_a_dim(void) { return A_DIM; }
static inline attr_t ngt_a_normal(void) { return A_NORMAL; }
static inline int ngt_key_resize(void) { return KEY_RESIZE; }
static inline int ngt_key_up(void) { return KEY_UP; }
static inline int ngt_key_down(void) { return KEY_DOWN; }
static inline int ngt_key_left(void) { return KEY_LEFT; }
static inline int ngt_key_right(void) { return KEY_RIGHT; }
static inline int ngt_key_backspace(void) { return KEY_BACKSPACE; }
static inline int ngt_key_btab(void) { return KEY_BTAB; }
static inline int ngt_key_f1(void) { return KEY_F(1); }
static inline int ngt_key_f2(void) { return KEY_F(2); }
static inline int ngt_key_enter(void) { return KEY_ENTER; }
static inline int ngt_key_home(void) { return KEY_HOME; }
static inline int ngt_key_end(void) { return KEY_END; }
static inline int ngt_key_dc(void) { return KEY_DC; }
static inline int ngt_key_ppage(void) { return KEY_PPAGE; }
static inline int ngt_key_npage(void) { return KEY_NPAGE; }
static inline int ngt_ok(void) { return OK; }
static inline int ngt_key_code_yes(void) { return KEY_CODE_YES; }
/* Start curses on stdin/stdout; NULL (instead of exiting, as initscr does) when the terminal
   type is unknown or unusable. */
static inline SCREEN *ngt_newterm(void) { return newterm(NULL, stdout, stdin); }
/* Whether the terminal can move the cursor (a "dumb" terminal cannot show the explorer). */
static inline int ngt_has_cursor_addressing(void) {
  char *cup = tigetstr("cup");
  return cup != NULL && cup != (char *)-1;
}
/* Draw one wide character cell with attributes and a color pair. */
static inline int ngt_put_cell(int y, int x, const wchar_t *wch, attr_t attrs, short pair) {
  cchar_t c;
  setcchar(&c, wch, attrs, pair, NULL);
  return mvadd_wch(y, x, &c);
}
#endif
