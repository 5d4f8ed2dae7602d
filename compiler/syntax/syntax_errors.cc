// How syntax errors are worded. ANTLR knows the set of token types it expected; a person wants
// "expected an expression" rather than forty token names, so the set is summarized: tokens
// that start an expression, a declaration or a name collapse into one phrase, and the
// keywords that matter in the rule being parsed stay listed.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "compiler/syntax/internal/syntax_errors.h"

namespace writ::syntax::internal {
namespace {

using antlr4::Token;
using antlr4::misc::IntervalSet;

constexpr size_t kMaxListed = 6;
// Token::EOF and Token::EPSILON as the signed values IntervalSet::toList() returns.
constexpr ssize_t kEof = -1;
constexpr ssize_t kEpsilon = -2;

// What a keyword is probably meant to be when someone writes a word from another language.
constexpr std::pair<std::string_view, std::string_view> kSynonyms[] = {
    {"allow", "permit"},  {"deny", "forbid"},   {"approve", "require_approval"},
    {"if", "when"},       {"where", "when"},    {"reason", "because"},
    {"require", "require_approval"},
};

// Facts about the grammar's tokens, read once from the generated parser's ATN and vocabulary
// so that they follow the grammar when it changes.
class Grammar {
 public:
  explicit Grammar(antlr4::Parser& parser) {
    const antlr4::dfa::Vocabulary& vocabulary = parser.getVocabulary();
    size_t max_type = vocabulary.getMaxTokenType();
    spelling_.resize(max_type + 1);
    display_.resize(max_type + 1);
    for (size_t type = 1; type <= max_type; ++type) {
      std::string literal = vocabulary.getLiteralName(type);
      if (literal.size() >= 2 && literal.front() == '\'') {
        spelling_[type] = literal.substr(1, literal.size() - 2);
        display_[type] = "`" + spelling_[type] + "`";
        by_spelling_[spelling_[type]] = type;
      } else {
        display_[type] = SymbolDisplay(vocabulary.getSymbolicName(type));
      }
    }
    const antlr4::atn::ATN& atn = parser.getATN();
    expr_first_ = First(atn, grammar::WritParser::RuleExpr);
    decl_first_ = First(atn, grammar::WritParser::RuleDecl);
    ident_first_ = First(atn, grammar::WritParser::RuleIdent);
    type_first_ = First(atn, grammar::WritParser::RuleType);
    for (std::string_view keyword : {"entity", "tool", "permit", "forbid", "limit"}) {
      decl_signature_.insert(Type(keyword));
    }
    for (std::string_view keyword : {"(", "not", "["}) expr_signature_.insert(Type(keyword));
    expr_signature_.insert(grammar::WritParser::INT);
    expr_signature_.insert(grammar::WritParser::STRING);
    for (ssize_t type : decl_first_) {
      if (IsWord(type) && !ident_first_.count(type)) decl_keywords_.push_back(spelling_[type]);
    }
    for (std::string_view keyword : {"when", "because", "by", "timeout", "grant", "warn", "for", "per",
                                     "then", "ttl", "as", "returns", "in", "package", "import"}) {
      decl_keywords_.push_back(std::string(keyword));
    }
  }

  ssize_t Type(std::string_view spelling) const {
    auto it = by_spelling_.find(std::string(spelling));
    return it == by_spelling_.end() ? Token::INVALID_TYPE : static_cast<ssize_t>(it->second);
  }
  bool IsWord(ssize_t type) const {
    return type > 0 && static_cast<size_t>(type) < spelling_.size() && !spelling_[type].empty() &&
           std::isalpha(static_cast<unsigned char>(spelling_[type][0]));
  }
  bool IsIdent(ssize_t type) const { return ident_first_.count(type) > 0; }
  // A keyword's spelling without quotes; empty for other tokens.
  const std::string& Spelling(ssize_t type) const {
    static const std::string kNone;
    return IsWord(type) ? spelling_[type] : kNone;
  }

  // Keywords that can begin a declaration or a clause: the candidates for "did you mean".
  const std::vector<std::string>& decl_keywords() const { return decl_keywords_; }

  // "expected X" for a set of expected token types, in rule `rule`.
  std::string Describe(const IntervalSet& expected, size_t rule) const {
    std::set<ssize_t> remaining;
    for (ssize_t type : expected.toList()) {
      if (type != kEpsilon) remaining.insert(type);
    }
    std::set<ssize_t> significant = Significant(rule);
    auto erase = [&](const std::set<ssize_t>& types, bool keep_significant) {
      for (ssize_t type : types) {
        if (!keep_significant || !significant.count(type)) remaining.erase(type);
      }
    };
    std::vector<std::string> phrases;
    if (std::includes(remaining.begin(), remaining.end(), expr_signature_.begin(), expr_signature_.end())) {
      phrases.push_back("an expression");
      erase(expr_first_, false);
    }
    if (std::includes(remaining.begin(), remaining.end(), decl_signature_.begin(), decl_signature_.end())) {
      phrases.push_back("a declaration (`entity`, `tool`, `permit`, ...)");
      erase(decl_first_, true);
    }
    if (remaining.count(grammar::WritParser::IDENT) && remaining.count(Type("{"))) {
      phrases.push_back("a type");
      erase(type_first_, true);
    }
    if (remaining.count(grammar::WritParser::IDENT)) {
      phrases.push_back("a name");
      erase(ident_first_, true);
      remaining.erase(grammar::WritParser::IDENT);
    }
    bool eof = remaining.erase(kEof) > 0;
    std::vector<std::string> items;
    for (ssize_t type : remaining) {
      if (IsWord(type)) items.push_back(Display(type));
    }
    for (ssize_t type : remaining) {
      if (!IsWord(type)) items.push_back(Display(type));
    }
    items.insert(items.end(), phrases.begin(), phrases.end());
    if (eof) items.push_back("end of file");
    if (items.empty()) return "unexpected input";
    if (items.size() > kMaxListed) {
      if (std::string summary = Summary(rule); !summary.empty()) return "expected " + summary;
      items.resize(kMaxListed - 1);
      items.push_back("...");
      return "expected one of " + Join(items, ", ");
    }
    return "expected " + JoinOr(items);
  }

  std::string Display(ssize_t type) const {
    if (type == kEof) return "end of file";
    if (type <= 0 || static_cast<size_t>(type) >= display_.size()) return "a token";
    return display_[type];
  }

 private:
  static std::set<ssize_t> First(const antlr4::atn::ATN& atn, size_t rule) {
    std::set<ssize_t> types;
    for (ssize_t type : atn.nextTokens(atn.ruleToStartState[rule]).toList()) types.insert(type);
    return types;
  }

  static std::string SymbolDisplay(const std::string& symbol) {
    if (symbol == "INT") return "an integer";
    if (symbol == "DECIMAL") return "a decimal number";
    if (symbol == "MONEY") return "an amount such as `100 USD`";
    if (symbol == "DURATION") return "a duration such as `15m`";
    if (symbol == "PERCENT") return "a percentage such as `80%`";
    if (symbol == "STRING") return "a string";
    if (symbol == "IDENT") return "a name";
    return symbol;
  }

  // Keywords that mean something in `rule` even though they can also be names.
  std::set<ssize_t> Significant(size_t rule) const {
    using R = grammar::WritParser;
    std::vector<std::string_view> words;
    switch (rule) {
      case R::RuleRuleDecl: words = {"for", "by", "timeout", "grant", "warn"}; break;
      case R::RuleBudgetDecl: words = {"per", "for", "warn", "then"}; break;
      case R::RuleLimitDecl:
      case R::RuleRateDecl: words = {"per", "for"}; break;
      case R::RulePoolDecl: words = {"calls", "sessions", "then"}; break;
      case R::RulePoolMembers: words = {"calls", "sessions"}; break;
      case R::RuleAgentDecl:
      case R::RuleAgentMember: words = {"acts_for", "credentials"}; break;
      case R::RuleCredentialDecl:
      case R::RuleRuleClause: words = {"ttl"}; break;
      case R::RuleImportDecl: words = {"as"}; break;
      case R::RuleTestDecl:
      case R::RuleTestStmt: words = {"session", "call", "result", "expect", "returns", "as"}; break;
      case R::RuleExpectClause: words = {"warn"}; break;
      case R::RuleBudgetClause: words = {"at", "by"}; break;
      case R::RuleOutputDecl:
      case R::RulePhase: words = {"call", "result", "redact"}; break;
      case R::RuleOutputRule: words = {"redact"}; break;
      case R::RuleEffect: words = {"call", "result"}; break;
      default: break;
    }
    std::set<ssize_t> types;
    for (std::string_view word : words) types.insert(Type(word));
    return types;
  }

  // A phrase for what `rule` expects when the token list is too long to read.
  static std::string Summary(size_t rule) {
    using R = grammar::WritParser;
    switch (rule) {
      case R::RuleRuleDecl:
      case R::RuleRuleClause:
        return "a rule clause (`when`, `because`, `by`, `timeout`, `grant`, `warn`) or the next declaration";
      case R::RuleBudgetDecl:
      case R::RuleBudgetClause:
        return "a budget clause (`warn at`, `then`, `because`) or the next declaration";
      case R::RuleTestDecl:
      case R::RuleTestStmt:
      case R::RuleExpectClause:
        return "a test statement (`entity`, `session`, `call`, `result`, `expect`) or `}`";
      case R::RuleAgentDecl:
      case R::RuleAgentMember:
        return "an agent member (`acts_for`, `credentials` or `name: type`) or `}`";
      case R::RuleType: return "a type";
      case R::RuleFile:
      case R::RuleDecl: return "a declaration (`entity`, `tool`, `permit`, ...)";
      default: return "";
    }
  }

  static std::string Join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) out += separator;
      out += items[i];
    }
    return out;
  }

  static std::string JoinOr(const std::vector<std::string>& items) {
    if (items.size() == 1) return items[0];
    std::vector<std::string> head(items.begin(), items.end() - 1);
    return Join(head, ", ") + " or " + items.back();
  }

  std::vector<std::string> spelling_;
  std::vector<std::string> display_;
  std::map<std::string, size_t> by_spelling_;
  std::set<ssize_t> expr_first_, decl_first_, ident_first_, type_first_;
  std::set<ssize_t> expr_signature_, decl_signature_;
  std::vector<std::string> decl_keywords_;
};

// Whether `a` is `b` with two neighbouring characters swapped ("whne" for "when"), a typo
// that plain edit distance counts twice.
bool IsSwapOf(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b) return false;
  size_t i = 0;
  while (a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
}

// The keyword `word` is probably a typo of, or empty.
std::string SuggestKeyword(std::string_view word, const std::vector<std::string>& keywords) {
  for (const auto& [synonym, keyword] : kSynonyms) {
    if (word == synonym && std::find(keywords.begin(), keywords.end(), keyword) != keywords.end()) {
      return std::string(keyword);
    }
  }
  for (const std::string& keyword : keywords) {
    if (IsSwapOf(word, keyword)) return keyword;
  }
  std::string closest = diag::ClosestMatch(word, keywords);
  return closest == word ? "" : closest;
}

const Grammar& GrammarOf(antlr4::Parser& parser) {
  static const Grammar grammar(parser);
  return grammar;
}

// "`text`" for a token a diagnostic says was found, shortened if long.
std::string FoundText(const TokenLocator& locator, Token* token) {
  if (token == nullptr || token->getType() == Token::EOF) return "end of file";
  std::string_view text = locator.Text(token);
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return fmt::format("`{}`", text);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("`{}...`", text.substr(0, cut));
}

bool IsOpener(std::string_view text) { return text == "(" || text == "[" || text == "{"; }
bool IsCloser(std::string_view text) { return text == ")" || text == "]" || text == "}"; }

// The innermost bracket still open before `before` (a token index), if any.
Token* UnclosedBracket(const TokenLocator& locator, antlr4::TokenStream* tokens, size_t before) {
  std::vector<Token*> open;
  for (size_t i = 0; i < before && i < tokens->size(); ++i) {
    Token* token = tokens->get(i);
    if (token->getChannel() != Token::DEFAULT_CHANNEL) continue;
    std::string_view text = locator.Text(token);
    if (IsOpener(text)) {
      open.push_back(token);
    } else if (IsCloser(text) && !open.empty()) {
      open.pop_back();
    }
  }
  return open.empty() ? nullptr : open.back();
}

}  // namespace

bool IsErrorToken(size_t type) {
  using P = grammar::WritParser;
  return type == P::BAD_CHAR || type == P::BAD_NUMBER || type == P::UNTERMINATED_STRING ||
         type == P::UNTERMINATED_COMMENT;
}

Span ErrorSpan(const TokenLocator& locator, Token* token, antlr4::TokenStream* tokens) {
  if (token == nullptr || token->getType() != Token::EOF) return locator.SpanOf(token);
  for (size_t i = token->getTokenIndex(); i-- > 0;) {
    Token* previous = tokens->get(i);
    if (previous->getChannel() == Token::DEFAULT_CHANNEL) {
      uint32_t end = locator.SpanOf(previous).end;
      return Span{locator.file(), end, end};
    }
  }
  return locator.SpanOf(token);
}

void SyntaxLog::EmitTo(diag::Consumer& consumer) {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const diag::Diagnostic& a, const diag::Diagnostic& b) { return a.span.begin < b.span.begin; });
  size_t shown = std::min(diagnostics_.size(), static_cast<size_t>(max_errors_));
  for (size_t i = 0; i < shown; ++i) consumer.Handle(std::move(diagnostics_[i]));
  if (diagnostics_.size() > shown) {
    consumer.Handle(diag::Make(diag::Code::kTooManyErrors, diagnostics_[shown].span, max_errors_)
                        .Help("fix the errors above first; later ones are often caused by them"));
  }
  diagnostics_.clear();
}

ErrorStrategy::ErrorStrategy(const TokenLocator& locator, SyntaxLog& log) : locator_(locator), log_(log) {}

void ErrorStrategy::reportError(antlr4::Parser* parser, const antlr4::RecognitionException& e) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx());
  if (ctx == nullptr) ctx = parser->getContext();
  Token* found = e.getOffendingToken() != nullptr ? e.getOffendingToken() : parser->getCurrentToken();
  Token* start = found;
  if (const auto* no_viable = dynamic_cast<const antlr4::NoViableAltException*>(&e)) {
    if (no_viable->getStartToken() != nullptr) start = no_viable->getStartToken();
  }
  Report(parser, ctx, found, start, e.getExpectedTokens());
}

void ErrorStrategy::reportUnwantedToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  Token* found = parser->getCurrentToken();
  Report(parser, parser->getContext(), found, found, getExpectedTokens(parser));
}

void ErrorStrategy::reportMissingToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  Token* found = parser->getCurrentToken();
  Report(parser, parser->getContext(), found, found, getExpectedTokens(parser));
}

const antlr4::ParserRuleContext* ErrorStrategy::ItemOf(antlr4::ParserRuleContext* ctx) {
  // Climb to the child of the file rule: the package, import or declaration to leave out.
  antlr4::ParserRuleContext* item = ctx;
  while (item != nullptr && item->parent != nullptr) {
    auto* parent = dynamic_cast<antlr4::ParserRuleContext*>(item->parent);
    if (parent == nullptr || parent->getRuleIndex() == grammar::WritParser::RuleFile) break;
    item = parent;
  }
  if (item == nullptr || item->getRuleIndex() == grammar::WritParser::RuleFile) return nullptr;
  return item;
}

void ErrorStrategy::Report(antlr4::Parser* parser, antlr4::ParserRuleContext* ctx, Token* found,
                           Token* start, const IntervalSet& expected) {
  if (found == nullptr) found = parser->getCurrentToken();
  const size_t index = found->getTokenIndex();
  const antlr4::ParserRuleContext* item = ItemOf(ctx);
  // One error per declaration: what follows the first is usually recovery noise. Errors
  // between declarations are attributed to a declaration later, by position.
  const bool repeated = item != nullptr ? !bad_items_.insert(item).second : index == last_error_token_;
  if (item == nullptr) file_level_errors_.push_back(index);
  // The lexer pass already explained a bad token; an error a token or two after the last one
  // on the same line is almost always a cascade of it (recovery made up a token and went on).
  const bool cascade = last_reported_token_ != kNoToken && index > last_reported_token_ &&
                       index <= last_reported_token_ + 2 && found->getLine() == last_reported_line_;
  const bool quiet = repeated || cascade || IsErrorToken(found->getType());
  last_error_token_ = index;
  if (quiet) return;
  last_reported_token_ = index;
  last_reported_line_ = found->getLine();

  const Grammar& grammar = GrammarOf(*parser);
  const size_t rule = ctx != nullptr ? ctx->getRuleIndex() : size_t{grammar::WritParser::RuleFile};
  antlr4::TokenStream* tokens = parser->getTokenStream();

  if (start != nullptr && start != found && start->getTokenIndex() < index) {
    std::string word(locator_.Text(start));
    if (rule == grammar::WritParser::RuleDecl && grammar.IsIdent(start->getType())) {
      // A declaration that starts with a stray word: the parser tried to read it as a label
      // (`name:`) and failed on the next token, but the word itself is the mistake.
      std::string keyword = SuggestKeyword(word, grammar.decl_keywords());
      std::string help =
          !keyword.empty() ? fmt::format("did you mean `{}`?", keyword)
          : start->getType() != grammar::WritParser::IDENT
              ? fmt::format("`{}` does not start a declaration; if it belongs to the declaration before, that clause is incomplete", word)
              : fmt::format("if `{}` is a label, write a `:` after it, as in `{}: permit call ...`", word, word);
      // The word is no declaration of its own, so it may be a broken clause of the one before.
      file_level_errors_.push_back(start->getTokenIndex());
      Add(diag::Make(diag::Code::kUnexpectedToken, locator_.SpanOf(start),
                     fmt::format("{}, found `{}`", grammar.Describe(expected, rule), word))
              .Help(std::move(help)));
      return;
    }
    // Prediction looked ahead from `start` and failed at `found`; what was expected at
    // `start` says little about `found`, so say what came before it instead.
    Span before = Span::Cover(locator_.SpanOf(start), locator_.SpanOf(tokens->get(index - 1)));
    if (before.end - before.begin <= 40) {
      Add(diag::Make(diag::Code::kUnexpectedToken, ErrorSpan(locator_, found, tokens),
                     fmt::format("unexpected {} after `{}`", FoundText(locator_, found), locator_.Text(before))));
      return;
    }
  }

  diag::Builder builder = diag::Make(diag::Code::kUnexpectedToken, ErrorSpan(locator_, found, tokens),
                                     fmt::format("{}, found {}", grammar.Describe(expected, rule),
                                                 FoundText(locator_, found)));
  // When a closing bracket is missing, show where the bracket was opened.
  if (Token* open = UnclosedBracket(locator_, tokens, index)) {
    std::string_view opener = locator_.Text(open);
    std::string_view closer = opener == "(" ? ")" : opener == "[" ? "]" : "}";
    if (expected.contains(static_cast<size_t>(grammar.Type(closer))) && locator_.Text(found) != closer) {
      builder.Label(locator_.SpanOf(open), fmt::format("this `{}` is not closed", opener));
    }
  }
  if (rule == grammar::WritParser::RuleFile && locator_.Text(found) == "import") {
    builder.Help("imports come right after the `package` declaration, before any other declaration");
  } else if (rule == grammar::WritParser::RuleFile && locator_.Text(found) == "package") {
    builder.Help("a file has one `package` declaration, at its start");
  } else if (grammar.IsWord(found->getType()) && !grammar.IsIdent(found->getType()) &&
             (expected.contains(size_t{grammar::WritParser::IDENT}) ||
              locator_.Text(tokens->get(index + 1)) == ":" || locator_.Text(tokens->get(index + 1)) == "?")) {
    builder.Help(fmt::format("`{}` is a reserved keyword and cannot be used as a name", locator_.Text(found)));
  } else if (found->getType() == grammar::WritParser::IDENT) {
    std::vector<std::string> keywords;
    for (ssize_t type : expected.toList()) {
      if (grammar.IsWord(type)) keywords.push_back(grammar.Spelling(type));
    }
    std::string keyword = SuggestKeyword(locator_.Text(found), keywords);
    if (!keyword.empty()) builder.Help(fmt::format("did you mean `{}`?", keyword));
  }
  Add(builder.Build());
}

void ErrorStrategy::Add(diag::Diagnostic diagnostic) {
  log_.Add(std::move(diagnostic));
  if (log_.full()) throw TooManyErrors{};
}

}  // namespace writ::syntax::internal
