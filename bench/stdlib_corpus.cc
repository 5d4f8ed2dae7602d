#include "bench/stdlib_corpus.h"

#include <random>
#include <string_view>

namespace writ::bench {
namespace {

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }
  std::string Chars(std::string_view alphabet, size_t n) {
    std::string s(n, ' ');
    for (char& c : s) c = alphabet[Below(alphabet.size())];
    return s;
  }
  std::string Digits(size_t n) { return Chars("0123456789", n); }

 private:
  std::mt19937_64 rng_;
};

constexpr std::string_view kWords[] = {
    "the", "agent", "policy", "request", "budget", "customer", "invoice", "approved", "report",
    "quarterly", "review", "deployment", "service", "latency", "database", "migration", "team",
    "schedule", "priority", "ticket", "summary", "analysis", "results", "update", "meeting",
    "and", "of", "to", "for", "with", "on", "in", "was", "will", "is", "a", "an", "from", "by",
    "contract", "vendor", "shipment", "warehouse", "forecast", "revenue", "incident", "release",
};
constexpr std::string_view kLevels[] = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
constexpr std::string_view kPaths[] = {"/api/v2/orders", "/health", "/api/v2/users/me",
                                       "/static/app.js", "/api/v2/invoices/search", "/login"};
constexpr std::string_view kAlnum =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kHex = "0123456789abcdef";

std::string Prose(Gen& g) {
  std::string s;
  const size_t words = 8 + g.Below(20);
  for (size_t i = 0; i < words; ++i) {
    if (i > 0) s += ' ';
    s += g.Pick(kWords);
    if (g.Below(12) == 0) s += ',';
  }
  s += ". ";
  if (g.Below(4) == 0) s += "Version " + std::to_string(1 + g.Below(9)) + "." +
                            std::to_string(g.Below(20)) + "." + std::to_string(g.Below(9)) + " ";
  if (g.Below(5) == 0) s += "Total $" + std::to_string(g.Below(9000)) + ".99 on 2024-0" +
                            std::to_string(1 + g.Below(9)) + "-1" + std::to_string(g.Below(9)) +
                            ". ";
  return s;
}

std::string LogLine(Gen& g) {
  return "2024-06-13T" + g.Digits(2) + ":" + g.Digits(2) + ":" + g.Digits(2) + "." +
         g.Digits(3) + "Z " + std::string(g.Pick(kLevels)) + " req=" + g.Chars(kHex, 16) +
         " path=" + std::string(g.Pick(kPaths)) + " status=" + (g.Below(10) ? "200" : "500") +
         " dur_ms=" + std::to_string(g.Below(900)) + " user_id=" + g.Digits(6) + "\n";
}

std::string JsonRecord(Gen& g) {
  return "{\"id\": \"" + g.Chars(kHex, 8) + "-" + g.Chars(kHex, 4) + "-" + g.Chars(kHex, 4) +
         "-" + g.Chars(kHex, 4) + "-" + g.Chars(kHex, 12) + "\", \"qty\": " +
         std::to_string(g.Below(100)) + ", \"sku\": \"SKU-" + g.Digits(6) +
         "\", \"note\": \"" + std::string(g.Pick(kWords)) + " " + std::string(g.Pick(kWords)) +
         "\", \"token_count\": " + std::to_string(g.Below(5000)) + "}\n";
}

std::string Code(Gen& g) {
  static constexpr std::string_view kSnippets[] = {
      "for (const auto& item : std::vector<int>{1, 2, 3}) { total += item; }\n",
      "def handler(event, context):\n    return {\"statusCode\": 200, \"body\": event[\"body\"]}\n",
      "if (ratio >= 0.75 && retries < 3) { backoff_ms *= 2; }\n",
      "SELECT id, total FROM orders WHERE created_at > now() - interval '1 day';\n",
      "let config = Config { timeout: Duration::from_secs(30), ..Default::default() };\n",
  };
  return std::string(g.Pick(kSnippets));
}

// One finding of a random kind, in a plausible context.
std::string Finding(Gen& g) {
  switch (g.Below(10)) {
    case 0: return " Contact: " + g.Chars("abcdefghijklmnop", 6) + ".ops@example.com. ";
    case 1: return " Call +1 (" + std::to_string(2 + g.Below(8)) + g.Digits(2) + ") " +
                   std::to_string(2 + g.Below(8)) + g.Digits(2) + "-" + g.Digits(4) + ". ";
    case 2: return " card 4" + g.Digits(3) + " " + g.Digits(4) + " " + g.Digits(4) + " " +
                   g.Digits(4) + " ";
    case 3: return " from 10." + std::to_string(g.Below(256)) + "." +
                   std::to_string(g.Below(256)) + "." + std::to_string(g.Below(256)) + " ";
    case 4: return " SSN " + std::to_string(100 + g.Below(500)) + "-" + g.Digits(2) + "-" +
                   g.Digits(4) + " ";
    case 5: return "\nAPI_KEY=" + g.Chars(kAlnum, 32) + "\n";
    case 6: return " ghp_" + g.Chars(kAlnum, 36) + " ";
    case 7: return " peer 2001:db8::" + g.Chars(kHex, 4) + " ";
    case 8: return " AKIA" + g.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) + " ";
    default: return " Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ." + g.Chars(kAlnum, 43) +
                    " ";
  }
}

}  // namespace

std::string MixedText(size_t size, uint64_t seed) {
  Gen g(seed);
  std::string text;
  text.reserve(size + 512);
  size_t next_finding = 1024;
  while (text.size() < size) {
    switch (g.Below(4)) {
      case 0: text += Prose(g); break;
      case 1: text += LogLine(g); break;
      case 2: text += JsonRecord(g); break;
      default: text += Code(g); break;
    }
    if (text.size() >= next_finding) {
      text += Finding(g);
      next_finding += 512 + g.Below(1024);
    }
  }
  return text;
}

std::string SqlScript(size_t size, uint64_t seed) {
  Gen g(seed);
  static constexpr std::string_view kTables[] = {"orders", "public.users", "\"Line Items\"",
                                                 "inventory", "audit_log", "`payments`"};
  std::string sql;
  sql.reserve(size + 512);
  while (sql.size() < size) {
    const std::string table(g.Pick(kTables));
    switch (g.Below(8)) {
      case 0:
        sql += "SELECT o.id, o.total, u.email FROM " + table +
               " o JOIN customers u ON u.id = o.customer_id WHERE o.status = 'open' AND "
               "o.note NOT LIKE '%; DROP%' ORDER BY o.created_at DESC LIMIT 50;\n";
        break;
      case 1:
        sql += "-- nightly cleanup\nDELETE FROM " + table + " WHERE created_at < now() - "
               "interval '90 days';\n";
        break;
      case 2:
        sql += "INSERT INTO " + table + " (id, name, amount) VALUES (" + g.Digits(6) +
               ", 'O''Brien " + g.Digits(3) + "', " + g.Digits(4) + ".50);\n";
        break;
      case 3:
        sql += "UPDATE " + table + " SET status = 'shipped', updated_at = now() WHERE id IN "
               "(SELECT order_id FROM shipments WHERE carrier = \"ups\");\n";
        break;
      case 4:
        sql += "WITH recent AS (SELECT * FROM " + table + " WHERE ts > $1) SELECT count(*) "
               "FROM recent /* the dashboard's tile */;\n";
        break;
      case 5:
        sql += "BEGIN; UPDATE accounts SET balance = balance - 100 WHERE id = " + g.Digits(5) +
               "; COMMIT;\n";
        break;
      case 6:
        sql += "CREATE INDEX IF NOT EXISTS idx_" + g.Digits(3) + " ON " + table +
               " (customer_id, created_at);\n";
        break;
      default:
        sql += "SELECT $$body; with ; semicolons$$ AS doc, E'it\\'s' AS q FROM " + table +
               " WHERE tags @> ARRAY['a'] # 1;\n";
        break;
    }
  }
  return sql;
}

std::vector<std::string> TypicalQueries() {
  return {
      "SELECT id, name, email FROM users WHERE id = 42",
      "SELECT o.id, sum(li.amount) FROM orders o JOIN line_items li ON li.order_id = o.id "
      "WHERE o.created_at >= '2024-06-01' GROUP BY o.id ORDER BY 2 DESC LIMIT 20",
      "UPDATE orders SET status = 'cancelled' WHERE id = 1001 AND status = 'open'",
      "DELETE FROM sessions",
      "INSERT INTO audit_log (actor, action, at) VALUES ('agent-7', 'export', now())",
      "WITH d AS (DELETE FROM queue WHERE done RETURNING id) SELECT count(*) FROM d",
      "DROP TABLE IF EXISTS tmp_import; CREATE TABLE tmp_import (id int, payload jsonb)",
      "SELECT 'DROP TABLE users' AS note /* not DDL */ -- comment\n",
  };
}

}  // namespace writ::bench
