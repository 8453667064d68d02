// `alignd simulate`: replays stored messages (record.h) through a candidate
// policy with the engine the milter uses (PolicyEngine::decide_mail_from, then
// decide) and groups what would change by From domain and source. Pure: the
// records and the compiled candidate in, counts and examples out.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/policy/engine.h"
#include "core/simulate/record.h"

namespace alignd {

// Messages of one (From domain, source) that move from one action to another.
struct ChangeGroup {
  std::string from_domain;  // "" when the From named no single domain
  std::string source;       // message_source(): FCrDNS name, else client IP
  std::string client_ip;    // of the first message
  std::string before;       // action recorded when the message arrived
  std::string after;        // action under the candidate
  std::string rule;         // candidate rule that fired for the first message ("" = none)
  int count = 0;
  std::vector<std::string> examples;  // up to 3 queue ids
  // Hints from the evidence: messages with a List-Id field, from trusted or
  // authenticated clients, with a DNS temperror, with DMARC fail.
  int with_list_id = 0, own_users = 0, dns_temperror = 0, dmarc_fail = 0;
  std::string hint;  // one phrase for a reader, "" if nothing to suggest
};

struct SimulationResult {
  int messages = 0;  // replayed
  int changed = 0;
  // before -> after -> count, e.g. moves["accept"]["reject"] = 212
  std::map<std::string, std::map<std::string, int>> moves;
  // Candidate uses client_name but these messages had no FCrDNS lookup recorded.
  int names_not_looked_up = 0;
  std::vector<ChangeGroup> groups;  // most messages first
};

SimulationResult simulate_policy(const std::vector<MessageRecord>& records,
                                 const PolicyEngine& candidate);

// Delivered (accept, tag) vs held (quarantine) vs refused (reject, tempfail).
bool is_delivered(const std::string& action);

// The headline lines for a person: "switching to enforce.toml would have
// rejected 212 messages; 180 of them from lists.example.org (...)".
// `domain`: the --domain filter, named in the first line ("" = none).
std::vector<std::string> simulation_summary(const SimulationResult& r, const std::string& policy,
                                            const std::string& period,
                                            const std::string& domain = "");

}  // namespace alignd
