// alignd eval: runs one message file through the exact Session the milter
// uses, offline, and prints the header edits and the verdict (or --json).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/args.h"
#include "app/cli.h"
#include "app/eval_output.h"
#include "app/json_out.h"
#include "app/runtime_loader.h"
#include "core/log.h"
#include "core/message.h"
#include "milter/services.h"
#include "milter/session.h"

namespace alignd {
namespace {

const char* kHelp =
    "usage: alignd eval [-c FILE] --client-ip IP [--helo NAME] [--mail-from ADDR]\n"
    "                   [--rcpt ADDR]... [--auth USER] [--dns-zone FILE] [--json] MESSAGE\n"
    "\n"
    "Evaluates MESSAGE (a file, or - for stdin) exactly as the milter would and prints\n"
    "the header fields it would add or remove, any DKIM signature, and the verdict.\n"
    "\n"
    "  -c, --config FILE   configuration (default /etc/alignd/alignd.toml if present)\n"
    "  --client-ip IP      the connecting client's address (IPv4 or IPv6)\n"
    "  --helo NAME         HELO/EHLO name (a name or an address literal [192.0.2.1])\n"
    "  --mail-from ADDR    envelope sender; \"\" is the null sender <> (the default)\n"
    "  --rcpt ADDR         envelope recipient (repeatable)\n"
    "  --auth USER         the client authenticated (SASL) as USER\n"
    "  --dns-zone FILE     local DNS data (RFC 1035 master-file lines); it is the whole\n"
    "                      DNS: nothing is sent to the network\n"
    "  --json              print one JSON object with every result and the reason trace\n"
    "  --queue-id ID       the queue id to use (default EVAL)\n"
    "  --record            record the message in the configured store, as the daemon\n"
    "                      does (report rows and the row `alignd simulate` replays)\n"
    "  -v                  more diagnostics on stderr\n"
    "\n"
    "Exit status: 0 for a verdict of any kind, 2 for usage or input errors.\n";

std::string read_input(const std::string& path) {
  std::stringstream ss;
  if (path == "-") {
    ss << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError("cannot read message file '" + path + "'");
    ss << in.rdbuf();
  }
  return ss.str();
}

}  // namespace

int cmd_eval(int argc, char** argv) {
  try {
    Args args(argc, argv,
              {"-c", "--config", "--client-ip", "--helo", "--mail-from", "--rcpt", "--auth",
               "--dns-zone", "--queue-id"},
              {"--json", "--record", "-v", "-h", "--help"});
    if (args.has("-h") || args.has("--help")) {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (args.positional().size() != 1) throw UsageError("give exactly one MESSAGE file (or -)");
    if (!args.has("--client-ip")) throw UsageError("--client-ip is required");
    set_log_verbosity(args.count("-v"));
    if (!args.has("-v"))
      set_log_sink([](LogLevel l, std::string_view m) {
        if (l <= LogLevel::Warning)
          std::fprintf(stderr, "%salignd: %.*s\n", log_timestamp().c_str(), int(m.size()),
                       m.data());
      });

    Config cfg = load_config_or_default(args.get_or("-c", args.get_or("--config", "")));
    LoadOptions lo;
    lo.dns_zone_override = args.get_or("--dns-zone", "");
    Services services;
    if (args.has("--record"))
      services.open_store(cfg.store.url, 1000, static_cast<size_t>(cfg.store.batch_size), 10);
    RuntimeHolder holder(load_runtime(cfg, services, lo));

    ParsedMessage msg = parse_message(read_input(args.positional()[0]));
    end_body_as_smtp_data(msg);  // what the milter would see after SMTP DATA
    Session s(holder);
    std::string ip = *args.get("--client-ip");
    auto stop = [&](const StageReply& r, const char* stage) {
      if (r.kind == StageReply::Continue) return false;
      if (args.has("--json")) {
        Json j = {{"verdict",
                   {{"action", r.kind == StageReply::Reject ? "reject" : "tempfail"},
                    {"smtp_reply", r.reply.str()},
                    {"stage", stage}}}};
        std::fputs(dump_json(j).c_str(), stdout);
      } else {
        std::printf("verdict: %s at %s (%s)\n", r.kind == StageReply::Reject ? "reject" : "tempfail",
                    stage, r.reply.str().c_str());
      }
      return true;
    };
    if (stop(s.on_connect("", ip), "connect")) return 0;
    if (args.has("--helo") && stop(s.on_helo(*args.get("--helo")), "helo")) return 0;
    if (stop(s.on_mail_from("<" + args.get_or("--mail-from", "") + ">", args.get_or("--auth", ""),
                            args.get_or("--queue-id", "EVAL")),
             "mail_from"))
      return 0;
    for (const auto& r : args.all("--rcpt"))
      if (stop(s.on_rcpt("<" + r + ">"), "rcpt")) return 0;
    for (const auto& h : msg.headers)
      if (stop(s.on_header(h.name, h.value), "header")) return 0;
    if (stop(s.on_eoh(), "eoh")) return 0;
    constexpr size_t kChunk = 65536;  // libmilter's MILTER_CHUNK_SIZE
    for (size_t off = 0; off < msg.body.size(); off += kChunk)
      if (stop(s.on_body(std::string_view(msg.body).substr(off, kChunk)), "body")) return 0;
    EomActions a = s.on_eom(args.get_or("--queue-id", "EVAL"));
    std::string out = args.has("--json") ? eval_json(s.last_evidence(), a)
                                         : eval_text(s.last_evidence(), a);
    std::fwrite(out.data(), 1, out.size(), stdout);
    services.drain();  // --record: commit before exit
    if (auto* w = services.writer(); w && w->stats().failed)
      std::fprintf(stderr, "alignd eval: recording in the store failed\n");
    return 0;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "alignd eval: %s\n%s", e.what(), kHelp);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "alignd eval: %s\n", e.what());
    return 2;
  }
}

}  // namespace alignd
