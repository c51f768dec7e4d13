// A gRPC client written against the callback API the way such clients are
// written: a session object chains three RPCs in nested callbacks, builds
// each request from the previous reply, stops at the first failed status,
// and reports to a `done` callback that main() waits on. At the end it
// reads a server stream with a reactor, which takes no callback.
//
// run_grpc.py builds and runs it, rewrites it with `awaitify fix` (the
// shipped rules, rewrite-rules/grpc.yaml), checks that each RPC is now
// awaited, and builds and runs it again: it must print the same.
#include "shop.grpc.pb.h"
#include "shop_server.h"

#include <grpcpp/grpcpp.h>

#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <string>

using shop::v1::Orders;

namespace {

std::string describe(const grpc::Status &status) {
  switch (status.error_code()) {
  case grpc::StatusCode::NOT_FOUND:
    return "NOT_FOUND: " + status.error_message();
  case grpc::StatusCode::FAILED_PRECONDITION:
    return "FAILED_PRECONDITION: " + status.error_message();
  case grpc::StatusCode::INVALID_ARGUMENT:
    return "INVALID_ARGUMENT: " + status.error_message();
  default:
    return "code " + std::to_string(status.error_code()) + ": " +
           status.error_message();
  }
}

} // namespace

// One checkout: FindUser -> GetCart -> PlaceOrder. gRPC needs each call's
// context, request and reply until its callback has run, so they are
// members, and the callbacks keep the session alive.
class CheckoutSession : public std::enable_shared_from_this<CheckoutSession> {
public:
  CheckoutSession(Orders::Stub *stub, std::string name,
                  std::function<void(std::string)> done)
      : stub_(stub), name_(std::move(name)), done_(std::move(done)) {}

  void Start();

private:
  void log(const std::string &line) {
    std::cout << "  [" << name_ << "] " << line << std::endl;
  }

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
  log("looking up the user");
  find_request_.set_name(name_);
  stub_->async()->FindUser(
      &find_context_, &find_request_, &user_,
      [this, self = shared_from_this()](grpc::Status status) {
        if (!status.ok()) {
          done_("FindUser failed: " + describe(status));
          return;
        }
        log("user " + std::to_string(user_.id()) + " is " +
            user_.display_name());
        cart_request_.set_user_id(user_.id());
        stub_->async()->GetCart(
            &cart_context_, &cart_request_, &cart_,
            [this, self](grpc::Status status) {
              if (!status.ok()) {
                done_("GetCart failed: " + describe(status));
                return;
              }
              log("cart has " + std::to_string(cart_.items_size()) +
                  " items, total " + std::to_string(cart_.total_cents()));
              // The order is built from the cart: its items and its total.
              order_request_.set_user_id(user_.id());
              for (const shop::v1::Item &item : cart_.items())
                order_request_.add_skus(item.sku());
              order_request_.set_amount_cents(cart_.total_cents());
              stub_->async()->PlaceOrder(
                  &order_context_, &order_request_, &receipt_,
                  [this, self](grpc::Status status) {
                    if (!status.ok()) {
                      done_("PlaceOrder failed: " + describe(status));
                      return;
                    }
                    log("order placed");
                    done_("order " + std::to_string(receipt_.order_id()) +
                          " (" + receipt_.summary() + ")");
                  });
            });
      });
}

// Reads the states of an order from a server stream. A streaming method of
// the same async() object as the unary ones, with a reactor instead of a
// callback: the rewrite leaves it alone.
class OrderWatcher : public grpc::ClientReadReactor<shop::v1::OrderEvent> {
public:
  OrderWatcher(Orders::Stub *stub, long order_id,
               std::function<void(grpc::Status)> done)
      : stub_(stub), done_(std::move(done)) {
    request_.set_order_id(order_id);
  }

  void Start() {
    stub_->async()->WatchOrder(&context_, &request_, this);
    StartRead(&event_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    if (!ok)
      return; // the stream has ended; OnDone follows
    std::cout << "  order " << request_.order_id() << ": " << event_.state()
              << std::endl;
    StartRead(&event_);
  }

  void OnDone(const grpc::Status &status) override {
    done_(status);
    delete this;
  }

private:
  Orders::Stub *stub_;
  std::function<void(grpc::Status)> done_;
  grpc::ClientContext context_;
  shop::v1::WatchOrderRequest request_;
  shop::v1::OrderEvent event_;
};

int main() {
  shop::ShopServer server;
  std::unique_ptr<Orders::Stub> stub = Orders::NewStub(server.Channel());

  for (const char *name : {"ada", "grace", "nobody"}) {
    std::cout << "checkout " << name << std::endl;
    std::promise<std::string> outcome;
    std::future<std::string> result = outcome.get_future();
    auto session = std::make_shared<CheckoutSession>(
        stub.get(), name,
        [&outcome](std::string line) { outcome.set_value(std::move(line)); });
    session->Start();
    session.reset(); // the chain keeps it alive
    std::string line = result.get();
    std::cout << "  -> " << line << std::endl;
  }

  for (long order : {107L, 999L}) {
    std::cout << "watch order " << order << std::endl;
    std::promise<grpc::Status> finished;
    std::future<grpc::Status> status = finished.get_future();
    (new OrderWatcher(stub.get(), order, [&finished](grpc::Status s) {
      finished.set_value(std::move(s));
    }))->Start();
    grpc::Status s = status.get();
    std::cout << "  -> " << (s.ok() ? std::string("OK") : describe(s))
              << std::endl;
  }
  return 0;
}
