// gRPC's callback API with the shipped rules (rewrite-rules/grpc.yaml):
// unary calls through a generated stub's async() object, through the
// StubInterface it implements, and through the experimental_async class of
// older releases, become co_await on awaitify::from_callback<grpc::Status>.
// The rules name those classes with patterns; the messages name the method
// called. A streaming call at the end of a chain (a reactor, no callback)
// stays as it is. Inputs/grpc_orders.h has the shapes of the gRPC headers
// and of a generated stub; test/grpc runs the same against real gRPC.
//
// RUN: rm -rf %t && mkdir %t && cp %s %t/client.cpp
// RUN: %awaitify fix --no-project-rules %t/client.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | FileCheck %s --check-prefix=MSG --implicit-check-not=warning:
// RUN: grep -v '^// [A-Z-]*:' %t/client.cpp | FileCheck %s
// RUN: %clangxx -I%S/Inputs %t/client.cpp
// RUN: %awaitify check --no-project-rules %t/client.cpp -- -std=c++20 -I%S/Inputs -I%runtime_include \
// RUN:   | count 0

#include "grpc_orders.h"

using shop::v1::Orders;

// Each RPC's context, request and reply are members: gRPC needs them until
// the callback runs, and `self` keeps the session alive until then.
class CheckoutSession : public std::enable_shared_from_this<CheckoutSession> {
public:
  CheckoutSession(Orders::Stub *stub, std::string name,
                  std::function<void(std::string)> done)
      : stub_(stub), name_(std::move(name)), done_(std::move(done)) {}
  void Start();

private:
  Orders::Stub *stub_;
  std::string name_;
  std::function<void(std::string)> done_;
  grpc::ClientContext find_context_;
  shop::v1::FindUserRequest find_request_;
  shop::v1::User user_;
  grpc::ClientContext cart_context_;
  shop::v1::GetCartRequest cart_request_;
  shop::v1::Cart cart_;
  grpc::ClientContext order_context_;
  shop::v1::PlaceOrderRequest order_request_;
  shop::v1::Receipt receipt_;
};

void CheckoutSession::Start() {
  find_request_.set_name(name_);
  stub_->async()->FindUser(
      &find_context_, &find_request_, &user_,
      [this, self = shared_from_this()](grpc::Status status) {
        if (!status.ok()) {
          done_("FindUser failed: " + status.error_message());
          return;
        }
        cart_request_.set_user_id(user_.id());
        stub_->async()->GetCart(
            &cart_context_, &cart_request_, &cart_,
            [this, self](grpc::Status status) {
              if (!status.ok()) {
                done_("GetCart failed: " + status.error_message());
                return;
              }
              order_request_.set_user_id(user_.id());
              order_request_.set_amount_cents(cart_.total_cents());
              stub_->async()->PlaceOrder(
                  &order_context_, &order_request_, &receipt_,
                  [this, self](grpc::Status status) {
                    if (!status.ok()) {
                      done_("PlaceOrder failed: " + status.error_message());
                      return;
                    }
                    done_("order " + std::to_string(receipt_.order_id()));
                  });
            });
      });
}
// MSG: client.cpp:[[@LINE-29]]:3: warning: callback chain of 3 calls (depth 3) in 'CheckoutSession::Start' can be rewritten with co_await (confidence: reasonable)
// MSG: note: step 1: 'shop::v1::Orders::Stub::async::FindUser' completes into this callback
// MSG: note: step 2: 'shop::v1::Orders::Stub::async::GetCart' completes into this callback
// MSG: note: step 3: 'shop::v1::Orders::Stub::async::PlaceOrder' completes into this callback
// MSG: note: assumes: 'shop::v1::Orders::Stub::async::FindUser' may call back before it returns

// CHECK:      find_request_.set_name(name_);
// CHECK-NEXT: grpc::Status status =
// CHECK-NEXT:     co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:       stub_->async()->FindUser(&find_context_, &find_request_, &user_,
// CHECK-NEXT:                                resume);
// CHECK-NEXT:     });
// CHECK-NEXT: if (!status.ok()) {
// CHECK-NEXT:   done_("FindUser failed: " + status.error_message());
// CHECK-NEXT:   co_return;
// CHECK-NEXT: }
// CHECK-NEXT: cart_request_.set_user_id(user_.id());
// CHECK-NEXT: grpc::Status status2 =
// CHECK-NEXT:     co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:       stub_->async()->GetCart(&cart_context_, &cart_request_, &cart_, resume);
// CHECK-NEXT:     });
// CHECK-NEXT: if (!status2.ok()) {
// CHECK:      grpc::Status status3 =
// CHECK-NEXT:     co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:       stub_->async()->PlaceOrder(&order_context_, &order_request_, &receipt_,
// CHECK-NEXT:                                  resume);
// CHECK-NEXT:     });
// CHECK-NEXT: if (!status3.ok()) {
// CHECK-NEXT:   done_("PlaceOrder failed: " + status3.error_message());
// CHECK-NEXT:   co_return;
// CHECK-NEXT: }
// CHECK-NEXT: done_("order " + std::to_string(receipt_.order_id()));
// CHECK-NEXT: }

// Through the interface (a StubInterface*, as code that mocks the stub has),
// and with the state in a struct that lives as long as the chain.
struct Lookup {
  grpc::ClientContext context;
  shop::v1::FindUserRequest request;
  shop::v1::User user;
  grpc::ClientContext cart_context;
  shop::v1::GetCartRequest cart_request;
  shop::v1::Cart cart;
};

void totalFor(Orders::StubInterface *stub, Lookup &l,
              std::function<void(long)> done) {
  stub->async()->FindUser(
      &l.context, &l.request, &l.user, [stub, &l, done](grpc::Status s) {
        l.cart_request.set_user_id(l.user.id());
        stub->async()->GetCart(&l.cart_context, &l.cart_request, &l.cart,
                               [&l, done](const grpc::Status &s) {
                                 done(s.ok() ? l.cart.total_cents() : -1);
                               });
      });
}
// MSG: client.cpp:[[@LINE-9]]:3: warning: callback chain of 2 calls (depth 2) in 'totalFor'
// MSG: note: step 1: 'shop::v1::Orders::StubInterface::async_interface::FindUser' completes into this callback
// MSG: note: step 2: 'shop::v1::Orders::StubInterface::async_interface::GetCart' completes into this callback

// CHECK:      namespace {
// CHECK-NEXT: awaitify::detached totalForCoro(Orders::StubInterface *stub, Lookup *l,
// CHECK-NEXT:                                 std::function<void(long)> done) {
// CHECK-NEXT:   grpc::Status s =
// CHECK-NEXT:       co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:         stub->async()->FindUser(&l->context, &l->request, &l->user, resume);
// CHECK-NEXT:       });
// CHECK-NEXT:   l->cart_request.set_user_id(l->user.id());
// CHECK-NEXT:   const grpc::Status s2 =
// CHECK-NEXT:       co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:         stub->async()->GetCart(&l->cart_context, &l->cart_request, &l->cart,
// CHECK-NEXT:                                resume);
// CHECK-NEXT:       });
// CHECK-NEXT:   done(s2.ok() ? l->cart.total_cents() : -1);
// CHECK-NEXT: }
// CHECK-NEXT: } // namespace
// CHECK-EMPTY:
// CHECK-NEXT: void totalFor(Orders::StubInterface *stub, Lookup &l,
// CHECK-NEXT:               std::function<void(long)> done) {
// CHECK-NEXT:   totalForCoro(stub, &l, std::move(done));
// CHECK-NEXT: }

// The experimental_async class of older gRPC releases.
void greetTwice(legacy::Greeter::Stub *stub, Lookup &l,
                std::function<void(bool)> done) {
  stub->experimental_async()->SayHello(
      &l.context, &l.request, &l.user, [stub, &l, done](grpc::Status first) {
        stub->experimental_async()->SayHello(
            &l.cart_context, &l.request, &l.user,
            [first, done](grpc::Status second) {
              done(first.ok() && second.ok());
            });
      });
}
// MSG: client.cpp:[[@LINE-9]]:3: warning: callback chain of 2 calls (depth 2) in 'greetTwice'
// MSG: note: step 1: 'legacy::Greeter::Stub::experimental_async::SayHello' completes into this callback

// CHECK:      namespace {
// CHECK-NEXT: awaitify::detached greetTwiceCoro(legacy::Greeter::Stub *stub, Lookup *l,
// CHECK-NEXT:                                   std::function<void(bool)> done) {
// CHECK-NEXT:   grpc::Status first =
// CHECK-NEXT:       co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:         stub->experimental_async()->SayHello(&l->context, &l->request, &l->user,
// CHECK:        grpc::Status second =
// CHECK-NEXT:       co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:         stub->experimental_async()->SayHello(&l->cart_context, &l->request,
// CHECK:        done(first.ok() && second.ok());
// CHECK-NEXT: }
// CHECK-NEXT: } // namespace
// CHECK-EMPTY:
// CHECK-NEXT: // The experimental_async class of older gRPC releases.
// CHECK-NEXT: void greetTwice(legacy::Greeter::Stub *stub, Lookup &l,
// CHECK-NEXT:                 std::function<void(bool)> done) {
// CHECK-NEXT:   greetTwiceCoro(stub, &l, std::move(done));
// CHECK-NEXT: }

// A chain that ends by starting a server-streaming call: WatchOrder takes a
// reactor, not a callback, and stays a call.
struct Watcher : grpc::ClientReadReactor<shop::v1::OrderEvent> {
  grpc::ClientContext context;
  shop::v1::WatchOrderRequest request;
  shop::v1::OrderEvent event;
  void OnDone(const grpc::Status &) override;
};

void placeAndWatch(Orders::Stub *stub, Lookup &l, Watcher *watcher) {
  stub->async()->FindUser(
      &l.context, &l.request, &l.user, [stub, &l, watcher](grpc::Status) {
        stub->async()->GetCart(
            &l.cart_context, &l.cart_request, &l.cart,
            [stub, &l, watcher](grpc::Status) {
              watcher->request.set_order_id(l.cart.total_cents());
              stub->async()->WatchOrder(&watcher->context, &watcher->request,
                                        watcher);
              watcher->StartRead(&watcher->event);
              watcher->StartCall();
            });
      });
}
// MSG: client.cpp:[[@LINE-13]]:3: warning: callback chain of 2 calls (depth 2) in 'placeAndWatch'

// CHECK:      namespace {
// CHECK-NEXT: awaitify::detached placeAndWatchCoro(Orders::Stub *stub, Lookup *l,
// CHECK-NEXT:                                      Watcher *watcher) {
// CHECK-NEXT:   co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:     stub->async()->FindUser(&l->context, &l->request, &l->user, resume);
// CHECK-NEXT:   });
// CHECK-NEXT:   co_await awaitify::from_callback<grpc::Status>([&](auto resume) {
// CHECK-NEXT:     stub->async()->GetCart(&l->cart_context, &l->cart_request, &l->cart,
// CHECK-NEXT:                            resume);
// CHECK-NEXT:   });
// CHECK-NEXT:   watcher->request.set_order_id(l->cart.total_cents());
// CHECK-NEXT:   stub->async()->WatchOrder(&watcher->context, &watcher->request, watcher);
// CHECK-NEXT:   watcher->StartRead(&watcher->event);
// CHECK-NEXT:   watcher->StartCall();
// CHECK-NEXT: }
// CHECK-NEXT: } // namespace
// CHECK-EMPTY:
// CHECK-NEXT: void placeAndWatch(Orders::Stub *stub, Lookup &l, Watcher *watcher) {
// CHECK-NEXT:   placeAndWatchCoro(stub, &l, watcher);
// CHECK-NEXT: }
