#include "server.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>

#include "catalogs.hpp"
#include "file_store.hpp"
#include "handlers.hpp"
#include "router.hpp"
#include "sqlite_storage.hpp"
#include "token.hpp"

namespace sseccoe::registry {

namespace {

// Binds with SO_REUSEADDR (a restart does not wait for TIME_WAIT) but not
// SO_REUSEPORT, which Poco's binding constructors also set: with it a second
// registry on the same port would start and share the traffic instead of
// failing with "address in use".
std::unique_ptr<Poco::Net::ServerSocket> open_socket(const RegistryConfig& cfg) {
  Poco::Net::SocketAddress addr(cfg.host, cfg.port);
  const int backlog = std::max(64, cfg.queue);
  std::unique_ptr<Poco::Net::ServerSocket> sock;
  if (!cfg.tls()) {
    sock = std::make_unique<Poco::Net::ServerSocket>();
  } else {
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params p;
    p.privateKeyFile = cfg.tls_key_file;
    p.certificateFile = cfg.tls_cert_file;
    p.caLocation = cfg.tls_client_ca_file;
    // Mutual TLS when a client CA is configured: a client without a
    // certificate from that CA cannot even send a request.
    p.verificationMode = cfg.tls_client_ca_file.empty() ? Poco::Net::Context::VERIFY_NONE
                                                        : Poco::Net::Context::VERIFY_STRICT;
    p.loadDefaultCAs = false;
    p.cipherList = "HIGH:!aNULL:!MD5:!RC4";
    Poco::Net::Context::Ptr ctx = new Poco::Net::Context(Poco::Net::Context::SERVER_USE, p);
    ctx->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                          Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    sock = std::make_unique<Poco::Net::SecureServerSocket>(ctx);
  }
  sock->bind(addr, true, false);
  sock->listen(backlog);
  return sock;
}

// One worker thread serves one connection for its keep-alive lifetime
// (field-notes.md): `threads` bounds concurrent connections, `queue` the
// accepted ones waiting; beyond that Poco refuses connections, which clients
// treat as transient.
Poco::Net::HTTPServerParams::Ptr server_params(const RegistryConfig& cfg) {
  Poco::Net::HTTPServerParams::Ptr p = new Poco::Net::HTTPServerParams;
  p->setMaxThreads(cfg.threads);
  p->setMaxQueued(cfg.queue);
  p->setThreadIdleTime(Poco::Timespan(60, 0));
  p->setTimeout(Poco::Timespan(cfg.timeout_seconds, 0));
  p->setKeepAlive(true);
  p->setKeepAliveTimeout(Poco::Timespan(cfg.keepalive_seconds, 0));
  p->setMaxKeepAliveRequests(1000);
  p->setSoftwareVersion("sseccoe-registry/" SSECCOE_VERSION);
  return p;
}

// Blocks until SIGTERM or SIGINT (blocked in every thread by main()).
void wait_for_stop() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  while (true) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) continue;
    if (sig == SIGHUP) {
      spdlog::info("SIGHUP ignored: restart the registry to apply configuration changes");
      continue;
    }
    spdlog::info("signal {} received: stopping", sig);
    return;
  }
}

}  // namespace

int serve(const RegistryConfig& cfg, const Catalogs& catalogs) {
  std::filesystem::create_directories(cfg.storage_path);
  if (catalogs.all().empty())
    spdlog::warn("no program catalog in {}: every record will be refused as unknown_program", cfg.catalog_dir);
  for (const auto& [name, c] : catalogs.all())
    spdlog::info("program {} ({} {}): {} activities", name, c.institution, c.year, c.activities.size());

  SqliteStorage storage(cfg.storage_path + "/registry.db", cfg.busy_timeout_ms,
                        static_cast<std::size_t>(cfg.threads) + 2);
  FileStore files(cfg.storage_path + "/files");
  TokenRing tokens(cfg.institutions);
  Services services{cfg, storage, files, catalogs, tokens};

  auto socket = open_socket(cfg);
  Poco::ThreadPool pool("registry", 2, cfg.threads, 60);
  Poco::Net::HTTPServer server(new ApiHandlerFactory(services), pool, *socket, server_params(cfg));
  server.start();
  spdlog::info("storage {} ({} institution(s)); {} threads, queue {}", cfg.storage_path, cfg.institutions.size(),
               cfg.threads, cfg.queue);
  // The one line on stdout: tests and scripts read the bound port from it.
  std::cout << "listening on " << (cfg.tls() ? "https" : "http") << "://" << socket->address().toString()
            << std::endl;

  wait_for_stop();
  // Requests in progress finish; idle keep-alive connections are closed.
  server.stopAll(false);
  pool.joinAll();
  spdlog::info("stopped");
  return 0;
}

}  // namespace sseccoe::registry
