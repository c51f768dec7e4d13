// The patterns of rewrite-rules/grpc.yaml match every method of a stub's
// async() object, but only the overloads that take a callback are awaited:
// the unary reactor overload and the streaming methods take a reactor
// pointer, even in tail position of a continuation, and stay calls. With
// the default --min-depth (2) nothing here is a chain: the file does not
// change, and nothing is reported.
//
// RUN: cp %s %t.cpp
// RUN: %awaitify fix --no-project-rules %t.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0
// RUN: cmp %s %t.cpp
// RUN: %awaitify check --explain --no-project-rules %s -- -std=c++20 -I%S/Inputs \
// RUN:   | FileCheck %s --check-prefix=EXPLAIN --allow-empty
// EXPLAIN-NOT: warning:
//
// With --min-depth=1 the first call of each function, a unary call with a
// callback, is awaited; the reactor calls after it stay as written.
// RUN: cp %s %t.depth1.cpp
// RUN: %awaitify fix --no-project-rules --min-depth=1 %t.depth1.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=DEPTH1 --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z0-9-]*:' %t.depth1.cpp | FileCheck %s --check-prefix=FIXED --implicit-check-not=co_await
// RUN: %clangxx -I%S/Inputs %t.depth1.cpp

#include "grpc_orders.h"

using shop::v1::Orders;

struct Lookup : grpc::ClientUnaryReactor {
  grpc::ClientContext context;
  shop::v1::FindUserRequest request;
  shop::v1::User user;
  void OnDone(const grpc::Status &) override;
};
struct Reader : grpc::ClientReadReactor<shop::v1::OrderEvent> {
  grpc::ClientContext context;
  shop::v1::WatchOrderRequest request;
  shop::v1::OrderEvent event;
  void OnDone(const grpc::Status &) override;
};
struct Writer : grpc::ClientWriteReactor<shop::v1::OrderEvent> {
  grpc::ClientContext context;
  shop::v1::Receipt receipt;
  void OnDone(const grpc::Status &) override;
};
struct Chat
    : grpc::ClientBidiReactor<shop::v1::OrderEvent, shop::v1::OrderEvent> {
  grpc::ClientContext context;
  void OnDone(const grpc::Status &) override;
};

// A unary call, then the reactor overload of another.
void unaryThenReactor(Orders::Stub *stub, Lookup *first, Lookup *second) {
  stub->async()->FindUser(&first->context, &first->request, &first->user,
                          [stub, second](grpc::Status) {
                            stub->async()->FindUser(&second->context,
                                                    &second->request,
                                                    &second->user, second);
                            second->StartCall();
                          });
}
// DEPTH1: grpc-reactors.cpp.tmp.depth1.cpp:[[@LINE-8]]:3: warning: callback chain of 1 call (depth 1) in 'unaryThenReactor'

// A unary call, then each kind of streaming call.
void unaryThenStreams(Orders::Stub *stub, Lookup *first, Reader *reader,
                      Writer *writer, Chat *chat) {
  stub->async()->FindUser(
      &first->context, &first->request, &first->user,
      [stub, reader, writer, chat](grpc::Status) {
        stub->async()->WatchOrder(&reader->context, &reader->request, reader);
        stub->async()->Upload(&writer->context, &writer->receipt, writer);
        stub->async()->Chat(&chat->context, chat);
      });
}
// DEPTH1: grpc-reactors.cpp.tmp.depth1.cpp:[[@LINE-8]]:3: warning: callback chain of 1 call (depth 1) in 'unaryThenStreams'

// Streaming calls only.
void streamsOnly(Orders::Stub *stub, Reader *reader, Chat *chat) {
  stub->async()->WatchOrder(&reader->context, &reader->request, reader);
  stub->async()->Chat(&chat->context, chat);
}

// FIXED:      co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// FIXED-NEXT:   stub->async()->FindUser(&first->context, &first->request, &first->user,
// FIXED-NEXT:                           resume);
// FIXED-NEXT: });
// FIXED-NEXT: stub->async()->FindUser(&second->context, &second->request, &second->user,
// FIXED-NEXT:                         second);
// FIXED-NEXT: second->StartCall();

// FIXED:      co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// FIXED-NEXT:   stub->async()->FindUser(&first->context, &first->request, &first->user,
// FIXED-NEXT:                           resume);
// FIXED-NEXT: });
// FIXED-NEXT: stub->async()->WatchOrder(&reader->context, &reader->request, reader);
// FIXED-NEXT: stub->async()->Upload(&writer->context, &writer->receipt, writer);
// FIXED-NEXT: stub->async()->Chat(&chat->context, chat);

// FIXED:      void streamsOnly(Orders::Stub *stub, Reader *reader, Chat *chat) {
// FIXED-NEXT:   stub->async()->WatchOrder(&reader->context, &reader->request, reader);
// FIXED-NEXT:   stub->async()->Chat(&chat->context, chat);
// FIXED-NEXT: }
