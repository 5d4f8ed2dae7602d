// The wall around ANTLR. Parse checks the input's size and encoding, lexes it, diagnoses bad
// tokens and bounds bracket nesting before the recursive-descent parser runs, parses with
// SLL prediction and falls back to full LL only for files that need it, and converts the
// declarations that parsed cleanly into the AST. Nothing ANTLR throws gets past Parse.
#include "compiler/syntax/parser.h"

#include <fmt/format.h>
#include <pthread.h>

#include <algorithm>
#include <memory>
#include <type_traits>
#include <unordered_set>

#include "compiler/syntax/internal/ast_builder.h"
#include "compiler/syntax/internal/lexical.h"
#include "compiler/syntax/internal/syntax_errors.h"
#include "WritLexer.h"

namespace writ::syntax {
namespace {

using internal::P;

// Hands ANTLR code points we decoded ourselves, so that our offset table and ANTLR's indexes
// agree by construction (ANTLRInputStream would decode the UTF-8 a second time).
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(std::u32string code_points) {
    _data = std::move(code_points);
    p = 0;
  }
};

// The generated parser with a bound on rule nesting: recursive descent uses the native stack,
// and nesting without brackets (`not not not ...`, `set<set<...>>`) is only visible here.
class GuardedParser : public P {
 public:
  GuardedParser(antlr4::TokenStream* tokens, int max_depth) : P(tokens), max_depth_(max_depth) {}

  using P::enterRecursionRule;
  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule) override {
    Guard(ctx);
    P::enterRule(ctx, state, rule);
  }
  void enterRecursionRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule, int precedence) override {
    Guard(ctx);
    P::enterRecursionRule(ctx, state, rule, precedence);
  }

 private:
  void Guard(antlr4::ParserRuleContext* ctx) {
    if (ctx->depth() > max_depth_) throw internal::NestingTooDeep{getCurrentToken()};
  }

  int max_depth_;
};

// The lexer has a catch-all BAD_CHAR rule, so it cannot fail to match; should it ever report
// an error anyway, it becomes a diagnostic rather than console output.
class LexerErrors : public antlr4::BaseErrorListener {
 public:
  LexerErrors(const internal::TokenLocator& locator, internal::SyntaxLog& log) : locator_(locator), log_(log) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token*, size_t, size_t, const std::string& message,
                   std::exception_ptr) override {
    auto* lexer = dynamic_cast<antlr4::Lexer*>(recognizer);
    antlr4::CommonToken at(antlr4::Token::INVALID_TYPE);
    at.setStartIndex(lexer != nullptr ? lexer->tokenStartCharIndex : 0);
    at.setStopIndex(at.getStartIndex());
    log_.Add(diag::Make(diag::Code::kUnexpectedToken, locator_.SpanOf(&at), "unreadable input: " + message));
  }

 private:
  const internal::TokenLocator& locator_;
  internal::SyntaxLog& log_;
};

std::string BadCharacterHelp(char32_t c) {
  switch (c) {
    case U'\u201C': case U'\u201D': case U'\u201E':
      return "strings use straight double quotes `\"`; an editor may have replaced them";
    case U'\u2018': case U'\u2019': case '\'':
      return "strings use double quotes `\"`";
    case ';': return "declarations need no terminator; remove the `;`";
    case '&': return "write `and` for a logical and";
    case '|': return "write `or` for a logical or";
    case '!': return "write `not` for a negation, or `!=` for inequality";
    case '=': return "write `==` to compare";
    case '\t': case '\r': case '\n': return "";
    default: break;
  }
  if (c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF) {
    return "replace this invisible character with a plain space, or remove it";
  }
  return "";
}

std::string BadNumberHelp(std::string_view text) {
  size_t letters = text.find_first_not_of("0123456789_.");
  std::string_view number = text.substr(0, letters);
  std::string_view suffix = letters == std::string_view::npos ? "" : text.substr(letters);
  bool currency = suffix.size() == 3 && std::all_of(suffix.begin(), suffix.end(), [](char c) {
                    return c >= 'A' && c <= 'Z';
                  });
  if (currency) return fmt::format("put a space between the amount and the currency: `{} {}`", number, suffix);
  bool lower = !suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](char c) {
                 return c >= 'a' && c <= 'z';
               });
  if (lower) return "durations use the units `ms`, `s`, `m`, `h` and `d`, as in `90s` or `1h30m`";
  return "a number cannot run into letters; put a space between them";
}

// Runs `fn` on a thread with a stack of known size. Recursive descent uses the native stack,
// and although nesting is bounded, the bound must hold for callers on small thread stacks and
// in sanitizer builds, whose frames are many times larger. Runs `fn` inline if no thread can
// be created.
template <typename Fn>
void RunOnParserStack(Fn&& fn) {
  constexpr size_t kStackBytes = 64u << 20;  // address space only; pages are touched on use
  using Body = std::remove_reference_t<Fn>;
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) {
    fn();
    return;
  }
  pthread_t thread;
  bool started = pthread_attr_setstacksize(&attr, kStackBytes) == 0 &&
                 pthread_create(
                     &thread, &attr,
                     [](void* body) -> void* {
                       (*static_cast<Body*>(body))();
                       return nullptr;
                     },
                     &fn) == 0;
  pthread_attr_destroy(&attr);
  if (started) {
    pthread_join(thread, nullptr);
  } else {
    fn();
  }
}

class FileParser {
 public:
  FileParser(std::string_view text, FileId id, const ParseLimits& limits, File& file, internal::SyntaxLog& log)
      : text_(text), id_(id), limits_(limits), file_(file), log_(log) {}

  void Run() {
    if (text_.size() > limits_.max_file_bytes) {
      log_.Add(diag::Make(diag::Code::kFileTooLarge, Span{id_, 0, 0}, text_.size(), limits_.max_file_bytes)
                   .Help("split the policy into several files of one package"));
      return;
    }
    if (size_t bad = internal::FindInvalidUtf8(text_); bad != internal::kValidUtf8) {
      log_.Add(diag::Make(diag::Code::kInvalidUtf8, Span{id_, static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)},
                          static_cast<unsigned>(static_cast<unsigned char>(text_[bad])))
                   .Help("save the file as UTF-8"));
      return;
    }
    // A byte order mark is not part of the text; spans still count it.
    uint32_t base = text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    std::u32string code_points;
    internal::DecodeUtf8(text_.substr(base), base, code_points, offsets_);
    locator_ = std::make_unique<internal::TokenLocator>(id_, text_, offsets_);

    CodePointStream input(std::move(code_points));
    grammar::WritLexer lexer(&input);
    LexerErrors lexer_errors(*locator_, log_);
    lexer.removeErrorListeners();
    lexer.addErrorListener(&lexer_errors);
    antlr4::CommonTokenStream tokens(&lexer);
    tokens.fill();
    if (!ScanTokens(tokens) || log_.full()) return;

    const int depth_limit = limits_.max_expr_depth + 5 * limits_.max_nesting + 32;
    try {
      ParseTokens(tokens, depth_limit);
    } catch (const internal::NestingTooDeep& e) {
      file_ = File{};
      file_.id = id_;
      log_.Add(diag::Make(diag::Code::kNestingTooDeep, internal::ErrorSpan(*locator_, e.token, &tokens),
                          limits_.max_expr_depth)
                   .Help("split the expression, for example into several rules"));
    } catch (const internal::TooManyErrors&) {
      // The log is over its cap and will say so (W0004); the partial tree is not converted.
    }
  }

 private:
  // Diagnoses the lexer's error tokens, collects comments, checks the package declaration
  // and bracket nesting. Returns false if nesting is too deep to hand the tokens to ANTLR.
  bool ScanTokens(antlr4::CommonTokenStream& tokens) {
    bool seen_first = false;
    int depth = 0;
    Span bad_run;  // a run of adjacent bad characters gets one diagnostic
    size_t bad_run_diagnostic = 0;
    for (antlr4::Token* token : tokens.getTokens()) {
      const size_t type = token->getType();
      Span span = locator_->SpanOf(token);
      if (type == P::LINE_COMMENT || type == P::BLOCK_COMMENT) {
        file_.comments.push_back(Comment{std::string(locator_->Text(span)), span});
        continue;
      }
      if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
      if (!seen_first) {
        seen_first = true;
        // A file that starts with a bad token gets that token's diagnostic instead.
        if (locator_->Text(span) != "package" && !internal::IsErrorToken(type)) {
          Span at = type == P::EOF ? Span{id_, 0, 0} : span;
          log_.Add(diag::Make(diag::Code::kMissingPackage, at).Help("start the file with `package <name>`"));
        }
      }
      if (type == P::BAD_CHAR) {
        if (bad_run.valid() && bad_run.end == span.begin) {
          bad_run.end = span.end;
          log_.diagnostics()[bad_run_diagnostic].span = bad_run;
          continue;
        }
        bad_run = span;
        bad_run_diagnostic = log_.size();
        stray_tokens_.push_back(token->getTokenIndex());
        std::u32string c;
        std::vector<uint32_t> ignored;
        internal::DecodeUtf8(locator_->Text(span), 0, c, ignored);
        char32_t code_point = c.empty() ? 0 : c[0];
        diag::Builder builder = diag::Make(diag::Code::kBadCharacter, span, internal::DescribeCharacter(code_point));
        if (std::string help = BadCharacterHelp(code_point); !help.empty()) builder.Help(std::move(help));
        log_.Add(builder.Build());
        continue;
      }
      bad_run = Span{};
      if (type == P::UNTERMINATED_STRING || type == P::BAD_NUMBER) stray_tokens_.push_back(token->getTokenIndex());
      std::string_view text = locator_->Text(span);
      switch (type) {
        case P::UNTERMINATED_STRING:
          log_.Add(diag::Make(diag::Code::kUnterminatedString, span)
                       .Help("close the string with `\"` on the same line; write `\\n` for a line break"));
          continue;
        case P::UNTERMINATED_COMMENT:
          log_.Add(diag::Make(diag::Code::kUnterminatedComment, Span{id_, span.begin, span.begin + 2})
                       .Help("close the comment with `*/`"));
          continue;
        case P::BAD_NUMBER:
          log_.Add(diag::Make(diag::Code::kBadNumber, span, text).Help(BadNumberHelp(text)));
          continue;
        default: break;
      }
      if (text == "(" || text == "[" || text == "{") {
        if (++depth > limits_.max_nesting) {
          file_.comments.clear();
          log_.Add(diag::Make(diag::Code::kNestingTooDeep, span, limits_.max_nesting)
                       .Help("flatten the expression, for example with helper rules"));
          return false;
        }
      } else if ((text == ")" || text == "]" || text == "}") && depth > 0) {
        --depth;
      }
    }
    return true;
  }

  void ParseTokens(antlr4::CommonTokenStream& tokens, int depth_limit) {
    // SLL prediction is much faster and almost always enough; only if it fails is the file
    // parsed again with full LL and real error reporting.
    auto parser = std::make_unique<GuardedParser>(&tokens, depth_limit);
    parser->removeErrorListeners();
    parser->setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    parser->getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
    P::FileContext* tree = nullptr;
    try {
      tree = parser->file();
    } catch (const antlr4::ParseCancellationException&) {
      tree = nullptr;
    }
    std::shared_ptr<internal::ErrorStrategy> strategy;
    if (tree == nullptr) {
      tokens.seek(0);
      parser = std::make_unique<GuardedParser>(&tokens, depth_limit);
      parser->removeErrorListeners();
      strategy = std::make_shared<internal::ErrorStrategy>(*locator_, log_);
      parser->setErrorHandler(strategy);
      parser->getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
      tree = parser->file();
    }
    Build(tree, strategy.get(), tokens);
  }

  void Build(P::FileContext* tree, const internal::ErrorStrategy* strategy, antlr4::CommonTokenStream& tokens) {
    std::vector<antlr4::ParserRuleContext*> items;
    if (tree->packageDecl() != nullptr) items.push_back(tree->packageDecl());
    for (auto* import : tree->importDecl()) items.push_back(import);
    for (auto* decl : tree->decl()) items.push_back(decl);
    std::unordered_set<const antlr4::ParserRuleContext*> bad;
    if (strategy != nullptr) {
      bad = strategy->bad_items();
      stray_tokens_.insert(stray_tokens_.end(), strategy->file_level_errors().begin(),
                           strategy->file_level_errors().end());
    }
    // Junk after a declaration, on its last line or indented like a clause, belongs to it:
    // `forbid call x whne ...` must not survive as `forbid call x`. Junk at the start of a
    // line is taken for a failed attempt at a new declaration.
    for (size_t index : stray_tokens_) {
      auto after = std::lower_bound(items.begin(), items.end(), index, [](antlr4::ParserRuleContext* item, size_t i) {
        return item->start->getTokenIndex() < i;
      });
      if (after == items.begin()) continue;
      antlr4::ParserRuleContext* item = *std::prev(after);
      antlr4::Token* token = tokens.get(index);
      bool same_line = item->stop != nullptr && item->stop->getLine() == token->getLine();
      if (same_line || token->getCharPositionInLine() > 0) bad.insert(item);
    }
    auto is_bad = [&](const antlr4::ParserRuleContext* ctx) { return ctx->exception != nullptr || bad.count(ctx) > 0; };
    internal::AstBuilder builder(file_, *locator_, log_.diagnostics(), limits_.max_expr_depth);
    auto add = [&](auto* ctx, auto add_fn) {
      if (ctx == nullptr || is_bad(ctx)) return;
      size_t before = log_.size();
      if (!(builder.*add_fn)(ctx) && log_.size() == before) {
        log_.Add(diag::Make(diag::Code::kUnexpectedToken, locator_->SpanOf(ctx),
                            "the parser could not read this declaration (an internal error; please report it)"));
      }
    };
    add(tree->packageDecl(), &internal::AstBuilder::AddPackage);
    for (P::ImportDeclContext* import : tree->importDecl()) add(import, &internal::AstBuilder::AddImport);
    std::vector<P::DeclContext*> decls = tree->decl();
    if (decls.size() > limits_.max_decls) {
      log_.Add(diag::Make(diag::Code::kTooManyDecls, locator_->SpanOf(decls[limits_.max_decls]), decls.size(),
                          limits_.max_decls)
                   .Help("split the policy into several files"));
      return;
    }
    file_.decls.reserve(decls.size());
    for (P::DeclContext* decl : decls) add(decl, &internal::AstBuilder::AddDecl);
  }

  std::string_view text_;
  FileId id_;
  const ParseLimits& limits_;
  File& file_;
  internal::SyntaxLog& log_;
  std::vector<uint32_t> offsets_;
  std::unique_ptr<internal::TokenLocator> locator_;
  // Indexes of bad tokens; each spoils the declaration it is in or follows.
  std::vector<size_t> stray_tokens_;
};

}  // namespace

File Parse(const SourceManager& sources, FileId id, diag::Consumer& consumer, const ParseLimits& limits) {
  File file;
  file.id = id;
  internal::SyntaxLog log(limits.max_errors);
  std::string failure;
  RunOnParserStack([&]() noexcept {
    try {
      FileParser(sources.file(id).text(), id, limits, file, log).Run();
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "unknown exception";
    }
  });
  if (!failure.empty()) {
    file = File{};
    file.id = id;
    log.Add(diag::Make(diag::Code::kUnexpectedToken, Span{id, 0, 0},
                       fmt::format("the parser failed internally ({}); this is a bug in writ, please report it", failure)));
  }
  log.EmitTo(consumer);
  return file;
}

}  // namespace writ::syntax
