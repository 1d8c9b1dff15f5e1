import CNcursesw
import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// Whether curses currently owns the terminal (read by the exit handler).
private let cursesActive = Atomic<Bool>(false)

/// Ends curses mode if it is still active; safe to call more than once, from `atexit` too.
func restoreTerminalIfNeeded() {
  if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
    ngt_endwin()
  }
}

/// The ncurses terminal: wide-character output, raw keys, colours unless `NO_COLOR`, and a
/// frame differ that writes only changed cells.
final class NcursesTerminal: TerminalDriver {
  let supportsUnicode: Bool
  /// Whether the locale's character set is UTF-8 (else non-ASCII text is drawn as `?`).
  private let utf8Locale: Bool
  private let colors: Bool
  private var previous: Grid?
  private var attrs: [Style: (ngt_attr_t, Int16)] = [:]

  /// Loads the ncurses library (once; it is not loaded at start-up): nil when it is there, else
  /// why not.
  static func loadLibrary() -> String? {
    ngt_load() != 0 ? nil : String(cString: ngt_load_error())
  }

  /// Initialises curses (after `setlocale(LC_ALL, "")`, with a short `ESCDELAY`); nil when the
  /// library cannot be loaded (see `loadLibrary`) or the terminal type is unusable. Call once;
  /// `stop()` restores the terminal.
  ///
  /// - Parameters:
  ///   - forceASCII: use the ASCII glyphs even in a UTF-8 locale.
  ///   - allowColor: false when `NO_COLOR` is set; colours are also off on monochrome terminals.
  init?(forceASCII: Bool, allowColor: Bool) {
    setenv("ESCDELAY", "25", 1)
    // A launcher may have blocked or ignored the terminal's signals (a test runner's worker
    // thread, nohup): ncurses only handles SIGWINCH when it is deliverable and at its default,
    // and resizing would then go unnoticed.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCONT, SIGTSTP] { sigaddset(&unblock, sig) }
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    signal(SIGWINCH, SIG_DFL)
    setlocale(LC_ALL, "")
    let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
    utf8Locale = codeset.uppercased().filter { $0 != "-" } == "UTF8"
    supportsUnicode = !forceASCII && utf8Locale
    guard Self.loadLibrary() == nil else { return nil }
    guard ngt_newterm() != 0 else { return nil }
    guard ngt_has_cursor_addressing() != 0 else {
      ngt_endwin()
      return nil
    }
    cursesActive.store(true, ordering: .sequentiallyConsistent)
    atexit { restoreTerminalIfNeeded() }
    // A crash (a trap, abort or bad access) must not leave the terminal raw: restore it, then
    // let the signal do what it would have done.
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
      signal(sig) { s in
        restoreTerminalIfNeeded()
        signal(s, SIG_DFL)
        raise(s)
      }
    }
    ngt_setup(25)
    colors = allowColor && ngt_has_colors() != 0
    if colors {
      ngt_start_colors()
      ngt_init_pair(1, ngt_color_cyan())
      ngt_init_pair(2, ngt_color_green())
      ngt_init_pair(3, ngt_color_yellow())
      ngt_init_pair(4, ngt_color_red())
      ngt_init_pair(5, ngt_color_magenta())
    }
    let bold = ngt_a_bold()
    let rev = ngt_a_reverse()
    let dim = ngt_a_dim()
    let under = ngt_a_underline()
    let none = ngt_a_normal()
    if colors {
      attrs = [
        .normal: (none, 0), .dim: (dim, 0), .heading: (bold, 1), .selected: (rev | bold, 0), .bar: (none, 2),
        .track: (dim, 0), .barChosen: (bold, 3), .highlight: (bold, 3), .warning: (bold, 4), .good: (bold, 2),
        .cursor: (rev, 0), .sampling: (rev | bold, 5), .cycle: (under, 4),
      ]
    } else {
      attrs = [
        .normal: (none, 0), .dim: (dim, 0), .heading: (bold, 0), .selected: (rev | bold, 0), .bar: (none, 0),
        .track: (dim, 0), .barChosen: (bold, 0), .highlight: (rev, 0), .warning: (bold | under, 0),
        .good: (bold, 0), .cursor: (rev, 0), .sampling: (rev | bold, 0), .cycle: (under, 0),
      ]
    }
  }

  var size: (width: Int, height: Int) {
    (Int(ngt_getmaxx()), Int(ngt_getmaxy()))
  }

  func readKey(timeoutMilliseconds: Int32) -> Key? {
    var wch: wint_t = 0
    let r = ngt_get_wch(timeoutMilliseconds, &wch)
    if r == ngt_key_code_yes() {
      let code = Int32(bitPattern: UInt32(wch))
      switch code {
      case ngt_key_resize():
        previous = nil
        return .resize
      case ngt_key_up(): return .up
      case ngt_key_down(): return .down
      case ngt_key_left(): return .left
      case ngt_key_right(): return .right
      case ngt_key_home(): return .home
      case ngt_key_end(): return .end
      case ngt_key_ppage(): return .pageUp
      case ngt_key_npage(): return .pageDown
      case ngt_key_backspace(): return .backspace
      case ngt_key_dc(): return .delete
      case ngt_key_btab(): return .backTab
      case ngt_key_f1(): return .f1
      case ngt_key_f2(): return .f2
      case ngt_key_enter(): return .enter
      case ngt_key_paste_begin(): return .pasteBegin
      case ngt_key_paste_end(): return .pasteEnd
      default: return nil
      }
    }
    guard r == ngt_ok() else { return nil }
    switch wch {
    case 3: return .ctrlC
    case 9: return .tab
    case 10, 13: return .enter
    case 21: return .ctrlU
    case 27: return .escape
    case 8, 127: return .backspace
    default:
      guard wch >= 32, let s = Unicode.Scalar(UInt32(wch)) else { return nil }
      return .char(Character(s))
    }
  }

  func present(_ grid: Grid) {
    let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
    if full { ngt_erase() }
    let question: [wchar_t] = [wchar_t(63), 0]
    grid.forEachChange(from: full ? nil : previous) { x, y, cell in
      let (a, p) = attrs[cell.style] ?? (ngt_a_normal(), 0)
      if !utf8Locale, let fallback = DisplayWidth.nonUTF8Fallback(cell.text) {
        // One `?` per column the cell covers (its continuation cells are not visited).
        for i in 0..<fallback.count where x + i < grid.width {
          _ = question.withUnsafeBufferPointer { ngt_put_cell(Int32(y), Int32(x + i), $0.baseAddress, a, p) }
        }
        return
      }
      var chars = cell.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
      chars.append(0)
      _ = chars.withUnsafeBufferPointer { ngt_put_cell(Int32(y), Int32(x), $0.baseAddress, a, p) }
    }
    previous = grid
    ngt_refresh()
  }

  func stop() {
    previous = nil
    restoreTerminalIfNeeded()
  }
}
