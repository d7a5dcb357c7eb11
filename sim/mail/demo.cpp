#include "sim/mail/demo.hpp"

#include "sim/mail/assets.hpp"

namespace postino::mail {

Store make_demo_store() {
  Store store("tuodominio.it", 1764000000);
  Account& info = *store.add_account(kDemoAddress, std::string(kDemoPassword), kDemoQuota);
  store.add_account("amministrazione@tuodominio.it", std::string(kDemoPassword), kDemoQuota);
  store.add_account("commerciale@tuodominio.it", std::string(kDemoPassword), kDemoQuota);
  for (const Asset& asset : sample_mail()) {
    MessagePtr m = make_message(asset.text);
    // The internal date is when the server received it: the Date header is close enough here.
    const Time received = m->summary().date.value_or(0);
    store.append(info, info.inbox(), m, 0, received, "demo");
  }
  return store;
}

}  // namespace postino::mail
