#include "shop.hpp"

int main() {
  shop::Services s;
  shop::checkout(s, 3, [](bool ok) { std::cout << "checkout 3: " << ok << "\n"; });
  shop::checkout(s, 42, [](bool ok) { std::cout << "checkout 42: " << ok << "\n"; });
  auto session = std::make_shared<shop::Session>(s);
  session->greet(5);
  session.reset(); // the session lives on while its callbacks are pending
  shop::audit(s, 7);
  shop::loop().run();
}
