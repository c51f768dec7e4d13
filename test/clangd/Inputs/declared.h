// Declares the function that declared.cpp defines: its rewrite changes the
// return type here too.
#include <string>
void order(std::string Item);
