// The combining's output rules: forbid and redact checks over a text parameter or result
// field, through the std.pii detectors of stdlib/native.h (docs/language.md §13).
#include "runtime/internal/evaluation_impl.h"
#include "stdlib/native.h"

namespace writ::runtime::internal {

void Evaluation::Outputs() {
  const ir::Enum* kinds = nullptr;
  for (const ir::Enum& candidate : policy_.enums) {
    if (candidate.name == "std.pii.Kind") kinds = &candidate;
  }
  for (const ir::OutputRef& ref : plan_.outputs) {
    const ir::Output& output = policy_.outputs.at(ref.output.index);
    if (!Included(output.head)) continue;
    const Value* record = request_.phase == ir::Phase::kCall
                              ? &request_.args
                              : (request_.result ? &*request_.result : nullptr);
    const Value* field = record != nullptr && ref.field_slot < record->elements.size()
                             ? &record->elements[ref.field_slot]
                             : nullptr;
    if (field == nullptr || field->kind != Value::Kind::kString) {
      Consider(output.head, "output", Verdict::kNotHeld,
               [&] { return fmt::format("no text in {}", output.field); });
      continue;
    }
    const std::string& text = field->text;
    Verdict verdict = Verdict::kNotHeld;
    std::vector<std::string> found_names;
    for (const ir::OutputCheck& check : output.checks) {
      uint32_t mask = 0;
      for (uint32_t member : check.detectors) {
        if (kinds == nullptr || member >= kinds->members.size()) continue;
        for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
          if (kinds->members[member] == writ_pii_kind_name(kind)) mask |= UINT32_C(1) << kind;
        }
      }
      if (!check.redact) {
        uint32_t found = writ_pii_kinds(text.data(), text.size(), mask);
        for (uint32_t kind = 0; kind < WRIT_PII_KIND_COUNT; ++kind) {
          if (found & (UINT32_C(1) << kind)) found_names.push_back(writ_pii_kind_name(kind));
        }
        if (found != 0) {
          verdict = Verdict::kHeld;
          Stop(output.head, "output", check.reason);
        }
        continue;
      }
      std::vector<writ_pii_finding> findings(16);
      size_t count = 0;
      writ_std_status status =
          writ_pii_find(text.data(), text.size(), mask, findings.data(), findings.size(), &count);
      if (status == WRIT_STD_BUFFER_TOO_SMALL) {
        findings.resize(count);
        status =
            writ_pii_find(text.data(), text.size(), mask, findings.data(), findings.size(), &count);
      }
      if (status != WRIT_STD_OK) {
        Error(output.head, {"eval.std", writ_std_status_message(status), output.head.loc});
        verdict = Verdict::kError;
        Stop(output.head, "output", "the output could not be scanned");
        continue;
      }
      if (count == 0) continue;
      if (verdict == Verdict::kNotHeld) verdict = Verdict::kHeld;
      for (size_t i = 0; i < count && i < findings.size(); ++i) {
        found_names.push_back(writ_pii_kind_name(findings[i].kind));
      }
      if (output.head.shadow) {
        // What it would have redacted; the call's text is left as it is.
        decision_.shadow.push_back(
            {output.head.id, DecisionEffect::kAllow,
             fmt::format("would redact {} finding{} in {}", count, count == 1 ? "" : "s",
                         output.field)});
        continue;
      }
      Match(output.head);
      for (size_t i = 0; i < count && i < findings.size(); ++i) {
        decision_.obligations.redactions.push_back({output.field,
                                                    writ_pii_kind_name(findings[i].kind),
                                                    findings[i].begin, findings[i].end});
      }
    }
    Consider(output.head, "output", verdict, [&] {
      if (found_names.empty()) return fmt::format("nothing found in {}", output.field);
      std::sort(found_names.begin(), found_names.end());
      found_names.erase(std::unique(found_names.begin(), found_names.end()), found_names.end());
      return fmt::format("found in {}: {}", output.field, fmt::join(found_names, ", "));
    });
  }
}

}  // namespace writ::runtime::internal
