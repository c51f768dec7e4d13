// A chain whose text would be markup if the report did not escape it:
// </script><script>document.title = "not escaped"</script> <!-- -->
#include "db.h"
#include <cstdio>

void shout(Db &db, int id) {
  db.getUser(id, [&db](User user) {
    db.getGroup(user.id, [](Group g) {
      std::printf("</script><b id=\"injected\">%d & %s</b>\n", g.id, "<!--");
    });
  });
}
