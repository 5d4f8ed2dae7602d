#include "runtime/decision.h"

#include <nlohmann/json.hpp>

namespace writ::runtime {
namespace {

using Json = nlohmann::ordered_json;

Json EntityJson(const ir::Policy& policy, const Value& value) {
  Json json = Json::object();
  json["type"] = value.ref < policy.entity_types.size() ? policy.entity_types[value.ref].name : "";
  json["id"] = value.text;
  return json;
}

Json ApproverJson(const ir::Policy& policy, const Approver& approver) {
  switch (approver.kind) {
    case ir::ApproverKind::kEntity:
      return EntityJson(policy, approver.value);
    case ir::ApproverKind::kEntitySet: {
      Json set = Json::array();
      for (const Value& element : approver.value.elements)
        set.push_back(EntityJson(policy, element));
      return set;
    }
    case ir::ApproverKind::kString:
      return approver.value.text;
  }
  return nullptr;
}

Json OrNull(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

}  // namespace

std::string_view Spelling(DecisionEffect effect) {
  switch (effect) {
    case DecisionEffect::kAllow:
      return "allow";
    case DecisionEffect::kDeny:
      return "deny";
    case DecisionEffect::kApprovalRequired:
      return "approval_required";
  }
  return "deny";
}

Decision RequestErrorDecision(const std::vector<RequestError>& errors) {
  Decision decision;
  decision.effect = DecisionEffect::kDeny;
  decision.reasons.push_back({"", "request", "the request does not match the policy's schema", ""});
  for (const RequestError& error : errors) {
    decision.errors.push_back({"", error.path, error.code, error.message, ""});
  }
  return decision;
}

std::string EncodeDecision(const ir::Policy& policy, const Decision& decision, int indent) {
  Json json = Json::object();
  json["version"] = 1;
  json["effect"] = Spelling(decision.effect);
  Json reasons = Json::array();
  for (const Reason& reason : decision.reasons) {
    Json item = Json::object();
    item["rule"] = OrNull(reason.rule);
    item["kind"] = reason.kind;
    item["message"] = reason.message;
    item["location"] = OrNull(reason.location);
    reasons.push_back(std::move(item));
  }
  json["reasons"] = std::move(reasons);
  if (decision.approval) {
    Json approval = Json::object();
    Json approvers = Json::array();
    for (const Approver& approver : decision.approval->approvers) {
      approvers.push_back(ApproverJson(policy, approver));
    }
    approval["approvers"] = std::move(approvers);
    approval["timeout"] = decision.approval->timeout_millis
                              ? Json(ir::FormatDuration(*decision.approval->timeout_millis))
                              : Json(nullptr);
    json["approval"] = std::move(approval);
  } else {
    json["approval"] = nullptr;
  }
  Json obligations = Json::object();
  Json grants = Json::array();
  for (const GrantObligation& grant : decision.obligations.grants) {
    grants.push_back({{"credential", grant.credential},
                      {"scopes", grant.scopes},
                      {"ttl", ir::FormatDuration(grant.ttl_millis)}});
  }
  obligations["grants"] = std::move(grants);
  Json charges = Json::array();
  for (const Charge& charge : decision.obligations.charges) {
    charges.push_back({{"limit", charge.limit},
                       {"amount", ir::FormatMoney(charge.amount.number, charge.amount.text)}});
  }
  obligations["charges"] = std::move(charges);
  Json redactions = Json::array();
  for (const Redaction& redaction : decision.obligations.redactions) {
    redactions.push_back({{"field", redaction.field},
                          {"detector", redaction.detector},
                          {"start", redaction.start},
                          {"end", redaction.end}});
  }
  obligations["redactions"] = std::move(redactions);
  obligations["warnings"] = decision.obligations.warnings;
  json["obligations"] = std::move(obligations);
  json["enforcement"] = ir::Spelling(decision.enforcement);
  Json shadow = Json::array();
  for (const ShadowOutcome& outcome : decision.shadow) {
    shadow.push_back({{"rule", outcome.rule},
                      {"effect", Spelling(outcome.effect)},
                      {"message", outcome.message}});
  }
  json["shadow"] = std::move(shadow);
  Json errors = Json::array();
  for (const DecisionError& error : decision.errors) {
    Json item = Json::object();
    if (!error.path.empty()) {
      item["path"] = error.path;
    } else {
      item["rule"] = OrNull(error.rule);
    }
    item["code"] = error.code;
    item["message"] = error.message;
    if (error.path.empty()) item["location"] = OrNull(error.location);
    errors.push_back(std::move(item));
  }
  json["errors"] = std::move(errors);
  json["matched"] = decision.matched;
  // Strings in a decision come from a decoded request or the policy, both valid UTF-8; the
  // replacing handler keeps dump() from throwing should that ever not hold.
  return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

}  // namespace writ::runtime
