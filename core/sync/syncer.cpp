#include "sync/syncer.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <exception>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "sync/http_client.hpp"
#include "util/time.hpp"

namespace sseccoe::core {

namespace {

std::string read_token(const std::string& path) {
  if (path.empty()) throw std::runtime_error("[registry] token_file is not set: point it to the file with the bearer token");
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the registry token file " + path + ": check that it exists and is readable");
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (token.empty()) throw std::runtime_error("the registry token file " + path + " is empty");
  return token;
}

// The registry's error object, when the body is one.
struct RegistryError {
  std::string code, message, field;
};
RegistryError parse_error(const HttpResponse& r) {
  RegistryError e;
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    const auto& o = j["error"];
    e.code = o.value("code", "");
    e.message = o.value("message", "");
    e.field = o.value("field", "");
  }
  if (e.code.empty()) e.code = "http_" + std::to_string(r.status);
  if (e.message.empty()) e.message = "HTTP " + std::to_string(r.status);
  return e;
}

std::string describe(const HttpResponse& r) {
  if (r.status == 0) return "no answer: " + r.curl_error;
  auto e = parse_error(r);
  return "HTTP " + std::to_string(r.status) + " " + e.code + ": " + e.message;
}

}  // namespace

Syncer::Syncer(store::Store& store, const RegistrySection& registry)
    : store_(store), registry_(registry), token_(read_token(registry.token_file)) {
  http_global_init();
}

void Syncer::notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

SyncHealth Syncer::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

Syncer::Outcome Syncer::fail(const store::OutboxEntry& entry, Fault fault, const std::string& what,
                             const std::string& code, const std::string& field, const std::string& retry_after) {
  const std::string now = util::now_rfc3339();
  {
    std::lock_guard lock(mu_);
    health_.last_error = what;
    health_.last_error_at = now;
  }
  if (fault == Fault::PermanentRecord) {
    spdlog::warn("sync: {} refused by the registry, quarantined: {}", entry.record_id, what);
    store_.quarantine_record(entry.record_id, what, code, field);
    std::lock_guard lock(mu_);
    ++health_.quarantined;
    return Outcome::Quarantined;
  }
  if (fault == Fault::PermanentConfig) {
    // Not this record's fault: it stays due as it was (no attempt counted,
    // no backoff of its own) and is the next probe; run_forever spaces the
    // probes instead, so a blocked agent does not work through its backlog
    // one refused request at a time.
    std::lock_guard lock(mu_);
    if (health_.state != "blocked")
      spdlog::error("sync: stopped: {}. Fix [registry] in the configuration and reload; syncing also resumes by "
                    "itself once the registry accepts a request again",
                    what);
    health_.state = "blocked";
    return Outcome::Blocked;
  }
  auto delay = backoff(static_cast<int>(entry.attempts), registry_.retry_initial, registry_.retry_max);
  if (auto ra = parse_retry_after(retry_after, std::chrono::system_clock::now()))
    delay = std::max(delay, std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::min<std::chrono::seconds>(*ra, std::chrono::duration_cast<std::chrono::seconds>(
                                                                        registry_.retry_max))));
  std::int64_t next = util::unix_now() + std::max<std::int64_t>(1, delay.count() / 1000);
  store_.retry_later(entry.record_id, next, what);
  std::lock_guard lock(mu_);
  spdlog::info("sync: {} will be retried in {}s: {}", entry.record_id, next - util::unix_now(), what);
  health_.state = "retrying";
  ++health_.retried;
  return Outcome::Retry;
}

Syncer::Outcome Syncer::send(HttpClient& http, const store::OutboxEntry& entry, std::stop_token stop) {
  auto body = nlohmann::json::parse(entry.body, nullptr, false);
  if (!body.is_object()) return fail(entry, Fault::PermanentRecord, "the stored record is not valid JSON", "local_corrupt", "", "");
  // Files first: the registry refuses a record citing a file it lacks.
  for (const auto& f : body.value("files", nlohmann::json::array())) {
    if (stop.stop_requested()) return Outcome::Stopped;
    const std::string digest = f.value("sha256", "");
    auto head = http.head("/files/" + digest, stop);
    if (head.aborted) return Outcome::Stopped;
    if (head.status == 200) continue;
    if (head.status != 404) {
      Fault fault = head.status ? classify_http(head.status) : classify_curl(head.curl_code);
      auto e = parse_error(head);
      return fail(entry, fault, "HEAD /files/" + digest.substr(0, 12) + "…: " + describe(head), e.code, "", head.retry_after);
    }
    std::string path = store_.blobs().path(digest);
    auto put = http.put_file("/files/" + digest, path, f.value("size", std::uint64_t{0}),
                             f.value("media_type", std::string("application/octet-stream")), stop);
    if (put.aborted) {
      spdlog::info("sync: {}: upload of a file abandoned to stop; it is sent again on the next run", entry.record_id);
      return Outcome::Stopped;
    }
    if (put.status == 200 || put.status == 201) continue;
    Fault fault = put.status ? classify_http(put.status) : classify_curl(put.curl_code);
    auto e = parse_error(put);
    // The file is named by its digest, not its name: a certificate's name
    // is its holder's ("Constancia Ana Ramírez.pdf"), and this text goes to
    // the log and to `status`.
    return fail(entry, fault, "upload of file " + digest.substr(0, 12) + "…: " + describe(put), e.code,
                e.field.empty() ? "files" : e.field, put.retry_after);
  }
  if (stop.stop_requested()) return Outcome::Stopped;
  // Abandoning this PUT is safe even if the registry committed it: the retry
  // is answered "unchanged" with the same folio (docs/delivery.md).
  auto res = http.put_json("/evidence/" + entry.record_id, entry.body, stop);
  if (res.aborted) return Outcome::Stopped;
  if (res.status == 200 || res.status == 201) {
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j.contains("folio"))
      return fail(entry, Fault::Transient, "the registry answered " + std::to_string(res.status) + " without a folio",
                  "bad_answer", "", "");
    store_.mark_synced(entry.record_id, entry.fingerprint, j.value("folio", ""), j.value("revision", 0),
                       j.value("status", ""));
    spdlog::info("sync: {} registered as {} (revision {}, {})", entry.record_id, j.value("folio", ""),
                 j.value("revision", 0), j.value("status", ""));
    std::lock_guard lock(mu_);
    health_.state = "ok";
    health_.last_success = util::now_rfc3339();
    ++health_.registered;
    return Outcome::Registered;
  }
  Fault fault = res.status ? classify_http(res.status) : classify_curl(res.curl_code);
  auto e = parse_error(res);
  return fail(entry, fault, "PUT /evidence: " + describe(res), e.code, e.field, res.retry_after);
}

SyncPass Syncer::run_pass(std::stop_token stop) {
  SyncPass pass;
  HttpOptions opt{registry_.url, token_, registry_.ca_file, registry_.timeout};
  const int workers = std::max(1, registry_.concurrency);
  // The workers live for the whole pass, each with one HttpClient, so the
  // connection to the registry is kept alive across batches and a long
  // backlog costs no thread or handle churn. Batches are small (memory does
  // not grow with the backlog), and the next one is read only once every
  // entry of the current one is finished: an entry still in flight is still
  // due in the store and must not be handed out twice.
  std::mutex mu;
  std::condition_variable cv;
  std::vector<store::OutboxEntry> batch;
  std::size_t next = 0, in_flight = 0;
  bool done = false;
  std::exception_ptr store_error;
  // Only what was due when the pass began: an entry retried during the pass
  // is due again only after it (next_attempt_at > pass_start), so a pass
  // over a long backlog with the registry down ends instead of chasing
  // entries whose short backoff expired while the others were tried.
  const std::int64_t pass_start = util::unix_now();

  // Under `mu`: the index of the next entry to send, or nullopt when the
  // pass is over.
  auto take = [&](std::unique_lock<std::mutex>& lock) -> std::optional<std::size_t> {
    for (;;) {
      if (done || pass.blocked || stop.stop_requested()) return std::nullopt;
      if (next < batch.size()) {
        ++in_flight;
        return next++;
      }
      if (in_flight > 0) {
        cv.wait(lock);
        continue;
      }
      try {
        batch = store_.due(pass_start, workers * 16);
      } catch (...) {
        store_error = std::current_exception();
        batch.clear();
      }
      next = 0;
      if (batch.empty()) {
        done = true;
        cv.notify_all();
      }
    }
  };
  auto work = [&] {
    HttpClient http(opt);
    std::unique_lock lock(mu);
    while (auto i = take(lock)) {
      const store::OutboxEntry& entry = batch[*i];  // stable: the batch is replaced only when none is in flight
      lock.unlock();
      Outcome o = Outcome::Retry;
      try {
        try {
          o = send(http, entry, stop);
        } catch (const std::exception& e) {
          // A local failure (store, disk): retry later rather than lose it.
          o = fail(entry, Fault::Transient, std::string("local error: ") + e.what(), "local", "", "");
        }
      } catch (const std::exception& e) {
        // Not even the retry could be written (a full disk): the entry stays
        // due as it was and is sent on a later pass.
        spdlog::error("sync: {}: cannot record the outcome locally, ending this pass: {}", entry.record_id, e.what());
        lock.lock();
        done = true;  // it is still due: going on would hand it out again at once
        lock.unlock();
      }
      lock.lock();
      --in_flight;
      if (o == Outcome::Registered) ++pass.registered;
      if (o == Outcome::Quarantined) ++pass.quarantined;
      if (o == Outcome::Retry) ++pass.retried;
      if (o == Outcome::Blocked) pass.blocked = true;
      cv.notify_all();
    }
  };
  {
    std::vector<std::jthread> pool;
    for (int i = 1; i < workers; ++i) pool.emplace_back(work);
    work();
  }
  if (store_error) std::rethrow_exception(store_error);
  return pass;
}

std::chrono::seconds Syncer::blocked_probe_wait(int probes) const {
  auto wait = registry_.retry_initial;
  for (int i = 0; i < probes && wait < registry_.retry_max; ++i) wait *= 2;
  return std::max<std::chrono::seconds>(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(
                                                                     std::min(wait, registry_.retry_max)));
}

void Syncer::run_forever(std::stop_token stop) {
  int blocked_probes = 0;  // consecutive passes the registry refused the configuration
  while (!stop.stop_requested()) {
    auto wait = std::chrono::seconds(3600);
    try {
      SyncPass pass = run_pass(stop);
      std::int64_t next = store_.next_due_time();
      if (next >= 0) wait = std::chrono::seconds(std::max<std::int64_t>(1, next - util::unix_now()));
      // Blocked: every request would get the same answer. Probe again after
      // retry_initial, doubling up to retry_max, whatever is due.
      blocked_probes = pass.blocked ? blocked_probes + 1 : 0;
      if (pass.blocked) wait = blocked_probe_wait(blocked_probes - 1);
    } catch (const std::exception& e) {
      // The store could not be read or written (a full disk, a locked
      // database): nothing was lost, so try again shortly rather than end.
      spdlog::error("sync: local store error, retrying shortly: {}", e.what());
      wait = std::max<std::chrono::seconds>(std::chrono::seconds(1),
                                            std::chrono::duration_cast<std::chrono::seconds>(registry_.retry_initial));
    }
    std::unique_lock lock(mu_);
    // New records do not shorten a blocked wait: they would be refused too.
    cv_.wait_for(lock, stop, wait, [this, blocked_probes] { return notified_ && blocked_probes == 0; });
    notified_ = false;
  }
}

}  // namespace sseccoe::core
