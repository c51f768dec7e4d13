// The classic pyramid: four completion calls nested four deep, each
// callback copying what the later ones need (an int, a std::string, a
// User). Flattened, it reads top to bottom.
//
// EXPECT: rewrite safe
#include <string>
#include <system_error>

#include "idioms.hpp"

using idioms::trace;

void build_page(int user_id) {
  io::get_user(user_id, [user_id](io::User user) {
    trace("page: user", user_id, "is", user.name);
    io::read(user.id, [user](std::error_code ec, int posts) {
      trace("page:", user.name, "posts", posts, ec ? "(stale)" : "(fresh)");
      io::get_pair(posts, [user, posts](int likes, std::string tag) {
        io::tick([user, posts, likes, tag] {
          trace("page:", user.name, "has", posts, "posts,", likes, "likes, tag", tag);
        });
      });
    });
  });
}

int main() {
  build_page(3);
  build_page(10);
  idioms::run();
  trace("== end");
  return 0;
}
