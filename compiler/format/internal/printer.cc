#include "compiler/format/internal/printer.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

namespace writ::format::internal {
namespace {

// Groups of top-level items whose one-liners may stay together without blank lines.
enum class Group { kPackage, kImport, kSchema, kAgent, kTool, kRule, kQuota, kOutput, kTest };

Group GroupOf(const syntax::Decl& decl) {
  return std::visit(
      [](const auto& kind) {
        using T = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<T, syntax::EntityDecl> ||
                      std::is_same_v<T, syntax::EnumDecl>) {
          return Group::kSchema;
        } else if constexpr (std::is_same_v<T, syntax::AgentDecl>) {
          return Group::kAgent;
        } else if constexpr (std::is_same_v<T, syntax::ToolDecl>) {
          return Group::kTool;
        } else if constexpr (std::is_same_v<T, syntax::RuleDecl>) {
          return Group::kRule;
        } else if constexpr (std::is_same_v<T, syntax::OutputDecl>) {
          return Group::kOutput;
        } else if constexpr (std::is_same_v<T, syntax::TestDecl>) {
          return Group::kTest;
        } else {
          return Group::kQuota;  // limits, budgets, rates and pools
        }
      },
      decl.kind);
}

}  // namespace

Printer::Printer(const SourceManager& sources, const syntax::File& file)
    : sources_(sources),
      file_(file),
      main_(sources.file(file.id).text(), file.comments),
      w_(&main_) {}

std::string Printer::Run() {
  struct Item {
    Group group;
    Span span;
    std::function<void()> print;
    int one_line = -1;  // cached: -1 unknown, 0 no, 1 yes
  };
  std::vector<Item> items;
  if (file_.package) {
    items.push_back({Group::kPackage, file_.package->span, [this] {
                       Tok("package");
                       Space();
                       QualifiedName(file_.package->name);
                     }});
  }
  for (const syntax::ImportDecl& import : file_.imports) {
    items.push_back({Group::kImport, import.span, [this, &import] {
                       Tok("import");
                       Space();
                       QualifiedName(import.path);
                       if (import.alias) {
                         Space();
                         Tok("as");
                         Space();
                         Leaf(import.alias->text, import.alias->span);
                       }
                     }});
  }
  for (const syntax::Decl& decl : file_.decls) {
    items.push_back({GroupOf(decl), decl.span, [this, &decl] { Decl(decl); }});
  }

  // An item is a one-liner if it holds no comment and its real layout has no line break.
  auto one_line = [this](Item& item) {
    if (item.one_line < 0) {
      item.one_line = !HasCommentIn(item.span) &&
                      Render(item.print, /*flat=*/false).find('\n') == std::string::npos;
    }
    return item.one_line == 1;
  };
  for (size_t i = 0; i < items.size(); ++i) {
    // Adjacent one-liners of the same group may stay together; everything else is separated.
    bool force_blank = i > 0 && !(items[i].group == items[i - 1].group && one_line(items[i - 1]) &&
                                  one_line(items[i]));
    NewLine(0);
    w_->BeginItem(/*first=*/false, force_blank);
    items[i].print();
  }
  return main_.Finish();
}

void Printer::Tok(std::string_view text) {
  std::optional<uint32_t> pos = w_->Find(text);
  w_->Token(text, pos, pos ? *pos + static_cast<uint32_t>(text.size()) : 0);
}

void Printer::Leaf(std::string_view text, Span span) {
  w_->Token(text, span.valid() ? std::optional<uint32_t>(span.begin) : std::nullopt, span.end);
}

void Printer::Sep(std::string_view text) { w_->Token(text, std::nullopt, 0); }

std::string_view Printer::SourceText(Span span) const { return sources_.Text(span); }

bool Printer::HasCommentIn(Span span) const {
  auto it = std::lower_bound(
      file_.comments.begin(), file_.comments.end(), span.begin,
      [](const syntax::Comment& comment, uint32_t pos) { return comment.span.begin < pos; });
  return it != file_.comments.end() && it->span.begin < span.end;
}

std::string Printer::Render(const std::function<void()>& print, bool flat) {
  Writer scratch;
  Writer* saved_writer = std::exchange(w_, &scratch);
  bool saved_flat = std::exchange(flat_, flat);
  print();
  w_ = saved_writer;
  flat_ = saved_flat;
  return scratch.text();
}

bool Printer::FitsFlat(const std::function<void()>& print) {
  int column = w_->Column();
  std::string text = Render(print, /*flat=*/true);
  return text.find('\n') == std::string::npos && column + Width(text) <= kMaxWidth;
}

bool Printer::Breaks(Span span, const std::function<void()>& print) {
  if (flat_) return false;
  return HasCommentIn(span) || !FitsFlat(print);
}

void Printer::Block(int indent, size_t count, const ItemFn& item) {
  Tok("{");
  std::optional<uint32_t> close = w_->Find("}");
  bool comments_inside = close && w_->HasPendingCommentBefore(*close);
  if (count == 0 && !comments_inside) {
    Tok("}");
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    NewLine(indent + kIndent);
    w_->BeginItem(/*first=*/i == 0, /*force_blank=*/false);
    item(i);
  }
  // Comments after the last member stay inside the body, at its indentation.
  close = w_->Find("}");
  NewLine(indent + kIndent);
  w_->BeginItem(/*first=*/count == 0, /*force_blank=*/false);
  if (close) w_->Flush(*close);
  NewLine(indent);
  Tok("}");
}

void Printer::List(std::string_view open, std::string_view close, bool pad, size_t count,
                   const ItemFn& item, bool broken, int indent) {
  Tok(open);
  if (!broken) {
    if (count > 0) {
      if (pad) Space();
      for (size_t i = 0; i < count; ++i) {
        if (i > 0) {
          Sep(",");
          Space();
        }
        item(i);
      }
      if (pad) Space();
    }
    Tok(close);
    return;
  }
  for (size_t i = 0; i < count; ++i) {
    NewLine(indent + kIndent);
    w_->BeginItem(/*first=*/i == 0, /*force_blank=*/false);
    item(i);
    if (i + 1 < count) Sep(",");
  }
  std::optional<uint32_t> close_pos = w_->Find(close);
  NewLine(indent + kIndent);
  w_->BeginItem(/*first=*/count == 0, /*force_blank=*/false);
  if (close_pos) w_->Flush(*close_pos);
  NewLine(indent);
  Tok(close);
}

}  // namespace writ::format::internal
