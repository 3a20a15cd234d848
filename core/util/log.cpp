#include "util/log.hpp"

#include <mutex>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "util/mask.hpp"

namespace sseccoe::util {

namespace {

class MaskingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  MaskingSink() : inner_(std::make_shared<spdlog::sinks::stderr_color_sink_st>()) {
    inner_->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::string masked = mask_personal(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, masked);
    inner_->log(copy);
  }
  void flush_() override { inner_->flush(); }

 private:
  std::shared_ptr<spdlog::sinks::stderr_color_sink_st> inner_;
};

}  // namespace

void init_logging(const std::string& level) {
  static std::once_flag once;
  std::call_once(once, [] {
    auto logger = std::make_shared<spdlog::logger>("sseccoe", std::make_shared<MaskingSink>());
    spdlog::set_default_logger(logger);
  });
  spdlog::set_level(spdlog::level::from_str(level.empty() ? "info" : level));
  spdlog::flush_on(spdlog::level::info);
}

std::string without_source_prefix(const std::string& source, const std::string& message) {
  const std::string prefix = "source '" + source + "': ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : message;
}

std::string source_message(const std::string& source, const std::string& message) {
  return "source '" + source + "': " + without_source_prefix(source, message);
}

}  // namespace sseccoe::util
