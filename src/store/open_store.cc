// open_store / sql_target: the [store] url -> a Store (or its connection). sqlite:///abs/path | sqlite:rel/path |
// postgresql://... | postgres://... (handed to libpq as is).
#include "core/text.h"
#include "store/sql_store.h"

namespace alignd {

namespace {

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact(const std::string& url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

}  // namespace

std::optional<SqlTarget> sql_target(const std::string& url) {
  if (url.empty() || url == "none") return std::nullopt;
  if (istarts_with(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) {
      path = path.substr(2);  // sqlite:///abs -> /abs
      if (path.empty() || path[0] != '/')
        throw StoreError("store url " + url + ": expected sqlite:///absolute/path");
    }
    if (path.empty() || path.back() == '/') throw StoreError("store url " + url + ": no file name");
    return SqlTarget{[path] { return connect_sqlite(path); }, "sqlite://" + path};
  }
  if (istarts_with(url, "postgresql://") || istarts_with(url, "postgres://")) {
    // A bounded connect, so a dead server delays the writer by seconds, not minutes.
    std::string conninfo = url;
    if (url.find("connect_timeout") == std::string::npos)
      conninfo +=
          (url.find('?') == std::string::npos ? "?" : "&") + std::string("connect_timeout=5");
    return SqlTarget{[conninfo] { return connect_postgres(conninfo); }, redact(url)};
  }
  throw StoreError("store url " + url + ": unsupported (sqlite:///path or postgresql://...)");
}

std::unique_ptr<Store> open_store(const std::string& url) {
  auto t = sql_target(url);
  if (!t) return nullptr;
  return std::make_unique<SqlStore>(std::move(t->connect), t->display);
}

}  // namespace alignd
