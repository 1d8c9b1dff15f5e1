#ifndef CNCURSESW_H
#define CNCURSESW_H
/* The explorer's ncurses, loaded on first use with dlopen (ncurses.c): a program that never
   opens the explorer (`ngram-tui --version`, `train`, …) does not load libncursesw and libtinfo
   at start-up. Every call works on the standard screen. Only ncurses.c includes curses.h. */
#include <stdint.h>
#include <wchar.h>

/* An attribute set (attr_t, widened). */
typedef unsigned long ngt_attr_t;

/* Loads the wide-character ncurses library once; 1 when it is there, else 0 with
   ngt_load_error() saying why. */
int ngt_load(void);
/* Why the last ngt_load failed (a library name or dlerror's text). */
const char *ngt_load_error(void);

/* newterm(NULL, stdout, stdin): 1 on success, 0 when the terminal type is unknown or unusable. */
int ngt_newterm(void);
/* Whether the terminal can move the cursor (a "dumb" terminal cannot show the explorer). */
int ngt_has_cursor_addressing(void);
/* Turns bracketed paste off again, then endwin() (nothing when ncurses was never loaded). */
void ngt_endwin(void);
/* raw, noecho, nonl, keypad on, intrflush off, cursor hidden, ESCDELAY, leaveok; bracketed
   paste on, its brackets read as ngt_key_paste_begin() and ngt_key_paste_end(). */
void ngt_setup(int escdelay_ms);
int ngt_has_colors(void);
/* start_color() and use_default_colors(). */
void ngt_start_colors(void);
/* init_pair(pair, fg, -1): a colour on the terminal's default background. */
void ngt_init_pair(short pair, short fg);
short ngt_color_red(void);
short ngt_color_green(void);
short ngt_color_yellow(void);
short ngt_color_magenta(void);
short ngt_color_cyan(void);

int ngt_getmaxy(void);
int ngt_getmaxx(void);
/* wtimeout(stdscr, ms) then wget_wch: OK, KEY_CODE_YES or ERR. */
int ngt_get_wch(int timeout_ms, wint_t *wch);
void ngt_erase(void);
void ngt_refresh(void);
/* Draws one wide-character cell with attributes and a colour pair. */
int ngt_put_cell(int y, int x, const wchar_t *wch, ngt_attr_t attrs, short pair);

ngt_attr_t ngt_a_bold(void);
ngt_attr_t ngt_a_reverse(void);
ngt_attr_t ngt_a_underline(void);
ngt_attr_t ngt_a_dim(void);
ngt_attr_t ngt_a_normal(void);
int ngt_key_resize(void);
int ngt_key_up(void);
int ngt_key_down(void);
int ngt_key_left(void);
int ngt_key_right(void);
int ngt_key_backspace(void);
int ngt_key_btab(void);
int ngt_key_f1(void);
int ngt_key_f2(void);
int ngt_key_enter(void);
int ngt_key_home(void);
int ngt_key_end(void);
int ngt_key_dc(void);
int ngt_key_ppage(void);
int ngt_key_npage(void);
int ngt_key_paste_begin(void);
int ngt_key_paste_end(void);
int ngt_ok(void);
int ngt_key_code_yes(void);
#endif
