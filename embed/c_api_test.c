/* The C ABI from C (docs/embedding.md): compiles the example policies, decides the sample
 * request, governs a session with a lease end to end on a SQLite store, verifies the lease
 * offline and against the store, and the audit log; and feeds the ABI bad arguments, which must
 * come back as statuses with messages. Exits 0 when every check holds; prints each failure.
 * Usage: c_api_test SOURCE_DIR SCRATCH_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "writ/writ.h"

static int failures = 0;

#define CHECK(cond)                                                                    \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", __FILE__, __LINE__, \
              #cond, writ_last_error());                                               \
      ++failures;                                                                      \
    }                                                                                  \
  } while (0)

static char* read_file(const char* path, size_t* len) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) return NULL;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* text = malloc((size_t)size + 1);
  if (text == NULL || fread(text, 1, (size_t)size, f) != (size_t)size) {
    fclose(f);
    free(text);
    return NULL;
  }
  fclose(f);
  text[size] = '\0';
  *len = (size_t)size;
  return text;
}

static const char* kWorld =
    "[{\"type\": \"procurement.ProcurementBot\", \"id\": \"bot-7\", \"attrs\": {\"acts_for\": "
    "{\"type\": \"org.User\", \"id\": \"alice\"}}},"
    " {\"type\": \"org.User\", \"id\": \"alice\", \"attrs\": {\"email\": \"alice@example.com\", "
    "\"approval_limit\": \"50000 USD\", \"manager\": {\"type\": \"org.User\", \"id\": \"bob\"}}, "
    "\"parents\": [{\"type\": \"org.Department\", \"id\": \"finance\"}]},"
    " {\"type\": \"org.User\", \"id\": \"bob\", \"attrs\": {\"email\": \"bob@example.com\", "
    "\"approval_limit\": \"250000 USD\", \"manager\": {\"type\": \"org.User\", \"id\": \"bob\"}}},"
    " {\"type\": \"org.Department\", \"id\": \"finance\"}]";

static void decide(writ_policy* policy, const char* source_dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/runtime/testdata/procurement_call.json", source_dir);
  size_t len = 0;
  char* request = read_file(path, &len);
  CHECK(request != NULL);
  if (request == NULL) return;
  writ_decision* decision = NULL;
  CHECK(writ_decide_json(policy, request, len, &decision) == WRIT_OK);
  writ_effect effect = WRIT_EFFECT_ALLOW;
  CHECK(writ_decision_effect(decision, &effect) == WRIT_OK);
  CHECK(effect == WRIT_EFFECT_APPROVAL_REQUIRED); /* 12,000 USD needs the manager */
  size_t reasons = 0;
  CHECK(writ_decision_reason_count(decision, &reasons) == WRIT_OK && reasons >= 1);
  const char *rule = NULL, *kind = NULL, *message = NULL;
  CHECK(writ_decision_reason(decision, 0, &rule, &kind, &message) == WRIT_OK);
  CHECK(kind != NULL && strcmp(kind, "require_approval") == 0);
  CHECK(writ_decision_reason(decision, reasons, &rule, &kind, &message) ==
        WRIT_INVALID_ARGUMENT);
  const char* json = NULL;
  size_t json_len = 0;
  CHECK(writ_decision_json(decision, &json, &json_len) == WRIT_OK);
  CHECK(json != NULL && strstr(json, "\"effect\":\"approval_required\"") != NULL);
  CHECK(strlen(json) == json_len);
  writ_decision_free(decision);

  /* A request that does not decode is a deny with the problem, not an error. */
  const char* bad = "{\"version\": 1, \"tool\": \"payments.transfer\"}";
  CHECK(writ_decide_json(policy, bad, strlen(bad), &decision) == WRIT_OK);
  CHECK(writ_decision_effect(decision, &effect) == WRIT_OK && effect == WRIT_EFFECT_DENY);
  writ_decision_free(decision);
  free(request);
}

static void govern(writ_policy* policy, const char* scratch) {
  char db[4096];
  snprintf(db, sizeof db, "%s/c_api.db", scratch);
  remove(db);
  writ_runtime* runtime = NULL;
  CHECK(writ_runtime_open(policy, db, NULL, &runtime) == WRIT_OK);
  if (runtime == NULL) return;
  int spawned = 0;
  const char* reason = NULL;
  CHECK(writ_spawn(runtime, "restock-q4", "procurement.ProcurementBot", "bot-7", "restock-q4",
                   kWorld, strlen(kWorld), &spawned, &reason) == WRIT_OK);
  CHECK(spawned == 1);
  CHECK(writ_spawn(runtime, "restock-q4", "procurement.ProcurementBot", "bot-7", "again", kWorld,
                   strlen(kWorld), &spawned, &reason) == WRIT_ALREADY_EXISTS);

  const char* args = "{\"supplier\": \"ACME Corp\", \"amount\": \"8000 USD\", \"description\": \"x\"}";
  writ_step* step = NULL;
  CHECK(writ_authorize(runtime, "restock-q4", "po-1", "erp.create_purchase_order", args,
                       strlen(args), &step) == WRIT_OK);
  writ_step_state state = WRIT_STEP_DENIED;
  CHECK(writ_step_state_of(step, &state) == WRIT_OK && state == WRIT_STEP_ALLOWED);
  size_t leases = 0;
  CHECK(writ_step_lease_count(step, &leases) == WRIT_OK && leases == 1);
  const char *token = NULL, *credential = NULL;
  CHECK(writ_step_lease(step, 0, &token, &credential) == WRIT_OK);
  CHECK(credential != NULL && strcmp(credential, "erp") == 0);
  char token_copy[8192] = {0};
  if (token != NULL) strncpy(token_copy, token, sizeof token_copy - 1);
  writ_step_free(step);

  /* Offline, as a downstream service would, with the public key alone. */
  uint8_t key[32];
  CHECK(writ_runtime_lease_public_key(runtime, key) == WRIT_OK);
  char error[256];
  int64_t now_ms = (int64_t)time(NULL) * 1000;
  CHECK(writ_lease_verify(token_copy, strlen(token_copy), key, now_ms, error, sizeof error) ==
        WRIT_LEASE_OK);
  token_copy[strlen(token_copy) / 2] ^= 1;
  CHECK(writ_lease_verify(token_copy, strlen(token_copy), key, now_ms, error, sizeof error) !=
        WRIT_LEASE_OK);
  token_copy[strlen(token_copy) / 2] ^= 1;
  int valid = 0;
  CHECK(writ_runtime_verify_lease(runtime, token_copy, strlen(token_copy), &valid) == WRIT_OK);
  CHECK(valid == 1);

  /* Replaying the step id returns the recorded outcome. */
  CHECK(writ_authorize(runtime, "restock-q4", "po-1", "erp.create_purchase_order", args,
                       strlen(args), &step) == WRIT_OK);
  int replayed = 0;
  CHECK(writ_step_replayed(step, &replayed) == WRIT_OK && replayed == 1);
  writ_step_free(step);

  CHECK(writ_complete(runtime, "restock-q4", "po-1", "", 0, 1800, &step) == WRIT_OK);
  CHECK(writ_step_state_of(step, &state) == WRIT_OK && state == WRIT_STEP_COMPLETED);
  writ_step_free(step);
  CHECK(writ_runtime_verify_lease(runtime, token_copy, strlen(token_copy), &valid) == WRIT_OK);
  CHECK(valid == 0 && strstr(writ_last_error(), "revoked") != NULL);

  int64_t version = 0;
  CHECK(writ_checkpoint(runtime, "restock-q4", "agent-state", 11, &version) == WRIT_OK);
  CHECK(version == 1);
  const void* state_bytes = NULL;
  size_t state_len = 0;
  int64_t position = 0;
  CHECK(writ_resume(runtime, "restock-q4", 0, &state_bytes, &state_len, &position) == WRIT_OK);
  CHECK(state_len == 11 && memcmp(state_bytes, "agent-state", 11) == 0 && position == 1);

  const char* report = NULL;
  CHECK(writ_terminate(runtime, "restock-q4", "done", &report) == WRIT_OK);
  CHECK(report != NULL && strstr(report, "\"state\":\"ended\"") != NULL);
  CHECK(writ_authorize(runtime, "restock-q4", "po-2", "erp.create_purchase_order", args,
                       strlen(args), &step) == WRIT_FAILED_PRECONDITION);

  int ok = 0;
  uint64_t bad_position = 0;
  CHECK(writ_runtime_verify_audit(runtime, &ok, &bad_position) == WRIT_OK);
  CHECK(ok == 1);
  writ_runtime_free(runtime);
}

static void bad_arguments(writ_policy* policy) {
  writ_policy* none = NULL;
  CHECK(writ_policy_load(NULL, 0, WRIT_ENGINE_JIT, &none) == WRIT_INVALID_ARGUMENT);
  CHECK(strlen(writ_last_error()) > 0);
  writ_decision* decision = NULL;
  CHECK(writ_decide_json(NULL, "{}", 2, &decision) == WRIT_INVALID_ARGUMENT);
  CHECK(writ_decide_json(policy, NULL, 5, &decision) == WRIT_INVALID_ARGUMENT);
  CHECK(writ_decide_json(policy, "{}", 2, NULL) == WRIT_INVALID_ARGUMENT);
  CHECK(writ_decision_effect(NULL, NULL) == WRIT_INVALID_ARGUMENT);
  writ_source broken = {"broken.writ", "package p\npermit call", 21};
  CHECK(writ_policy_compile(&broken, 1, WRIT_ENGINE_INTERP, &none) == WRIT_POLICY_ERROR);
  CHECK(strstr(writ_last_error(), "broken.writ:") != NULL); /* diagnostics with locations */
  CHECK(writ_policy_compile(&broken, 1, (writ_engine)7, &none) == WRIT_INVALID_ARGUMENT);
  const char* missing[] = {"/nonexistent/policies"};
  CHECK(writ_policy_load(missing, 1, WRIT_ENGINE_JIT, &none) == WRIT_NOT_FOUND);
  writ_runtime* runtime = NULL;
  CHECK(writ_runtime_open(policy, NULL, NULL, &runtime) == WRIT_INVALID_ARGUMENT);
  writ_runtime_options options = {"not hex", NULL, 0, 0};
  CHECK(writ_runtime_open(policy, "/tmp/never.db", &options, &runtime) == WRIT_INVALID_ARGUMENT);
  CHECK(writ_spawn(NULL, "s", "t", "i", "x", "[]", 2, NULL, NULL) == WRIT_INVALID_ARGUMENT);
  CHECK(strcmp(writ_status_name(WRIT_DATA_LOSS), "data_loss") == 0);
  /* C passes any int for an enum; the library must not read it as the C++ enum (UBSan). */
  CHECK(strcmp(writ_status_name((writ_status)99), "unknown") == 0);
  writ_policy_free(NULL);
  writ_decision_free(NULL);
  writ_step_free(NULL);
  writ_runtime_free(NULL);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test SOURCE_DIR SCRATCH_DIR\n");
    return 2;
  }
  CHECK(writ_abi_version() == WRIT_ABI_VERSION);
  char policies[4096];
  snprintf(policies, sizeof policies, "%s/policies", argv[1]);
  const char* paths[] = {policies};
  writ_policy* policy = NULL;
  CHECK(writ_policy_load(paths, 1, WRIT_ENGINE_JIT, &policy) == WRIT_OK);
  if (policy == NULL) return 1;
  writ_engine engine = WRIT_ENGINE_INTERP;
  CHECK(writ_policy_engine(policy, &engine) == WRIT_OK);
  CHECK(engine == WRIT_ENGINE_JIT); /* the example policies compile to native code */
  decide(policy, argv[1]);
  govern(policy, argv[2]);
  bad_arguments(policy);
  writ_policy_free(policy);
  /* A freed policy is recognized, not used. */
  writ_decision* decision = NULL;
  CHECK(writ_decide_json(policy, "{}", 2, &decision) == WRIT_INVALID_ARGUMENT);
  CHECK(strstr(writ_last_error(), "not a live policy") != NULL);
  if (failures > 0) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}
