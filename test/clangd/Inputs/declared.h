// Declares the class whose method declared.cpp defines: the method keeps its
// signature, and its rewrite declares the coroutine it starts here too.
#include <string>
class Orders {
public:
  void order(std::string Item);
};
