/* ncurses through dlopen: the library is loaded when the explorer starts, not when the program
   does, so the commands that never draw (`--version`, `train`, `predict`, …) start without
   mapping and relocating libncursesw and libtinfo. The header supplies types, constants and
   macros at compile time only; every function is looked up once by name. */
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#if defined(__has_include)
#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h> /* macOS and systems that install the wide-character header as curses.h */
#endif
#else
#include <ncursesw/curses.h>
#endif
#include <dlfcn.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include "CNcursesw.h"

static const char *const library_names[] = {
#if defined(__APPLE__)
    "libncurses.dylib", "/usr/lib/libncurses.dylib", "libncursesw.dylib",
#else
    "libncursesw.so.6", "libncursesw.so.5", "libncursesw.so",
#endif
};

static int loaded;
static char load_error[256];

static WINDOW **p_stdscr;
static SCREEN *(*p_newterm)(const char *, FILE *, FILE *);
static char *(*p_tigetstr)(const char *);
static int (*p_endwin)(void);
static int (*p_raw)(void);
static int (*p_noecho)(void);
static int (*p_nonl)(void);
static int (*p_keypad)(WINDOW *, bool);
static int (*p_intrflush)(WINDOW *, bool);
static int (*p_curs_set)(int);
static int (*p_set_escdelay)(int);
static int (*p_leaveok)(WINDOW *, bool);
static bool (*p_has_colors)(void);
static int (*p_start_color)(void);
static int (*p_use_default_colors)(void);
static int (*p_init_pair)(short, short, short);
static int (*p_getmaxy)(const WINDOW *);
static int (*p_getmaxx)(const WINDOW *);
static void (*p_wtimeout)(WINDOW *, int);
static int (*p_wget_wch)(WINDOW *, wint_t *);
static int (*p_werase)(WINDOW *);
static int (*p_wrefresh)(WINDOW *);
static int (*p_wmove)(WINDOW *, int, int);
static int (*p_wadd_wch)(WINDOW *, const cchar_t *);
static int (*p_setcchar)(cchar_t *, const wchar_t *, const attr_t, short, const void *);
static int (*p_define_key)(const char *, int);

/* Looks `name` up in `lib` into `*slot`; 0 (with the message) when it is missing. */
static int find(void *lib, const char *name, void *slot) {
  void *f = dlsym(lib, name);
  if (f == NULL) {
    snprintf(load_error, sizeof load_error, "the ncurses library has no %s: it is not a wide-character ncurses 6 library", name);
    return 0;
  }
  *(void **)slot = f;
  return 1;
}

int ngt_load(void) {
  if (loaded) return 1;
  void *lib = NULL;
  /* NGRAM_TUI_NCURSES names the one library to load instead (a system that keeps ncurses
     elsewhere; the tests use it to check the message below). */
  const char *chosen = getenv("NGRAM_TUI_NCURSES");
  if (chosen != NULL && chosen[0] != '\0') {
    lib = dlopen(chosen, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
      snprintf(load_error, sizeof load_error,
               "cannot load the ncurses library that NGRAM_TUI_NCURSES names (%s): check the path, or unset it",
               chosen);
      return 0;
    }
  }
  for (size_t i = 0; i < sizeof library_names / sizeof library_names[0] && lib == NULL; i++) {
    lib = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
  }
  if (lib == NULL) {
    snprintf(load_error, sizeof load_error,
             "cannot load the ncurses library %s: install the wide-character ncurses library "
             "(Debian: apt-get install libncursesw6)",
             library_names[0]);
    return 0;
  }
  int ok = find(lib, "stdscr", &p_stdscr) && find(lib, "newterm", &p_newterm) &&
           find(lib, "tigetstr", &p_tigetstr) && find(lib, "endwin", &p_endwin) && find(lib, "raw", &p_raw) &&
           find(lib, "noecho", &p_noecho) && find(lib, "nonl", &p_nonl) && find(lib, "keypad", &p_keypad) &&
           find(lib, "intrflush", &p_intrflush) && find(lib, "curs_set", &p_curs_set) &&
           find(lib, "set_escdelay", &p_set_escdelay) && find(lib, "leaveok", &p_leaveok) &&
           find(lib, "has_colors", &p_has_colors) && find(lib, "start_color", &p_start_color) &&
           find(lib, "use_default_colors", &p_use_default_colors) && find(lib, "init_pair", &p_init_pair) &&
           find(lib, "getmaxy", &p_getmaxy) && find(lib, "getmaxx", &p_getmaxx) &&
           find(lib, "wtimeout", &p_wtimeout) && find(lib, "wget_wch", &p_wget_wch) &&
           find(lib, "werase", &p_werase) && find(lib, "wrefresh", &p_wrefresh) && find(lib, "wmove", &p_wmove) &&
           find(lib, "wadd_wch", &p_wadd_wch) && find(lib, "setcchar", &p_setcchar) &&
           find(lib, "define_key", &p_define_key);
  if (!ok) {
    dlclose(lib);
    return 0;
  }
  loaded = 1;
  return 1;
}

const char *ngt_load_error(void) { return load_error; }

int ngt_newterm(void) { return p_newterm(NULL, stdout, stdin) != NULL; }

int ngt_has_cursor_addressing(void) {
  char *cup = p_tigetstr("cup");
  return cup != NULL && cup != (char *)-1;
}

/* The codes wget_wch returns for the brackets a terminal puts around pasted text. */
#define NGT_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define NGT_KEY_PASTE_END (KEY_MAX + 2)
static int bracketed_paste;

/* Asks the terminal to bracket pastes (xterm's mode 2004); write(2) only, so the signal and
   exit paths may undo it. */
static void set_bracketed_paste(int on) {
  static const char enable[] = "\033[?2004h", disable[] = "\033[?2004l";
  ssize_t r = on ? write(STDOUT_FILENO, enable, sizeof enable - 1) : write(STDOUT_FILENO, disable, sizeof disable - 1);
  (void)r;
  bracketed_paste = on;
}

void ngt_endwin(void) {
  if (!loaded) return;
  if (bracketed_paste) set_bracketed_paste(0);
  p_endwin();
}

void ngt_setup(int escdelay_ms) {
  WINDOW *w = *p_stdscr;
  p_raw();
  p_noecho();
  p_nonl();
  p_keypad(w, TRUE);
  p_intrflush(w, FALSE);
  p_curs_set(0);
  p_set_escdelay(escdelay_ms);
  p_leaveok(w, TRUE);
  p_define_key("\033[200~", NGT_KEY_PASTE_BEGIN);
  p_define_key("\033[201~", NGT_KEY_PASTE_END);
  set_bracketed_paste(1);
}

int ngt_has_colors(void) { return p_has_colors(); }
void ngt_start_colors(void) {
  p_start_color();
  p_use_default_colors();
}
void ngt_init_pair(short pair, short fg) { p_init_pair(pair, fg, -1); }
short ngt_color_red(void) { return COLOR_RED; }
short ngt_color_green(void) { return COLOR_GREEN; }
short ngt_color_yellow(void) { return COLOR_YELLOW; }
short ngt_color_magenta(void) { return COLOR_MAGENTA; }
short ngt_color_cyan(void) { return COLOR_CYAN; }

int ngt_getmaxy(void) { return p_getmaxy(*p_stdscr); }
int ngt_getmaxx(void) { return p_getmaxx(*p_stdscr); }

int ngt_get_wch(int timeout_ms, wint_t *wch) {
  p_wtimeout(*p_stdscr, timeout_ms);
  return p_wget_wch(*p_stdscr, wch);
}

void ngt_erase(void) { p_werase(*p_stdscr); }
void ngt_refresh(void) { p_wrefresh(*p_stdscr); }

int ngt_put_cell(int y, int x, const wchar_t *wch, ngt_attr_t attrs, short pair) {
  cchar_t c;
  p_setcchar(&c, wch, (attr_t)attrs, pair, NULL);
  if (p_wmove(*p_stdscr, y, x) == ERR) return ERR;
  return p_wadd_wch(*p_stdscr, &c);
}

ngt_attr_t ngt_a_bold(void) { return A_BOLD; }
ngt_attr_t ngt_a_reverse(void) { return A_REVERSE; }
ngt_attr_t ngt_a_underline(void) { return A_UNDERLINE; }
ngt_attr_t ngt_a_dim(void) { return A_DIM; }
ngt_attr_t ngt_a_normal(void) { return A_NORMAL; }
int ngt_key_resize(void) { return KEY_RESIZE; }
int ngt_key_up(void) { return KEY_UP; }
int ngt_key_down(void) { return KEY_DOWN; }
int ngt_key_left(void) { return KEY_LEFT; }
int ngt_key_right(void) { return KEY_RIGHT; }
int ngt_key_backspace(void) { return KEY_BACKSPACE; }
int ngt_key_btab(void) { return KEY_BTAB; }
int ngt_key_f1(void) { return KEY_F(1); }
int ngt_key_f2(void) { return KEY_F(2); }
int ngt_key_enter(void) { return KEY_ENTER; }
int ngt_key_home(void) { return KEY_HOME; }
int ngt_key_end(void) { return KEY_END; }
int ngt_key_dc(void) { return KEY_DC; }
int ngt_key_ppage(void) { return KEY_PPAGE; }
int ngt_key_npage(void) { return KEY_NPAGE; }
int ngt_key_paste_begin(void) { return NGT_KEY_PASTE_BEGIN; }
int ngt_key_paste_end(void) { return NGT_KEY_PASTE_END; }
int ngt_ok(void) { return OK; }
int ngt_key_code_yes(void) { return KEY_CODE_YES; }
