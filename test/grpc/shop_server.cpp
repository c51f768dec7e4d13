//===- shop_server.cpp - An in-process server for the gRPC test -----------===//
//
// Users, carts and order states are fixed: ada has two items in her cart,
// grace an empty one (PlaceOrder refuses it), and there is no user named
// nobody (FindUser answers NOT_FOUND). PlaceOrder checks that the amount is
// the cart's total, so a client must build each request from the previous
// reply. Orders are numbered 100 + the user's id.
//
//===----------------------------------------------------------------------===//
#include "shop_server.h"
#include "shop.grpc.pb.h"
#include <grpcpp/grpcpp.h>
#include <map>
#include <string>
#include <vector>

namespace shop {
namespace {

using v1::Cart;
using v1::Item;

struct Customer {
  long id;
  std::string display_name;
  std::vector<std::pair<std::string, long>> cart; // sku, price in cents
};

const std::map<std::string, Customer> &customers() {
  static const std::map<std::string, Customer> All = {
      {"ada", {7, "Ada Lovelace", {{"notebook", 1200}, {"pen", 350}}}},
      {"grace", {9, "Grace Hopper", {}}},
  };
  return All;
}

const Customer *byId(long id) {
  for (const auto &[Name, C] : customers())
    if (C.id == id)
      return &C;
  return nullptr;
}

// Streams the states of an order, one write at a time.
class StateWriter : public grpc::ServerWriteReactor<v1::OrderEvent> {
public:
  explicit StateWriter(long order_id) {
    if (!byId(order_id - 100)) {
      Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "no order " + std::to_string(order_id)));
      return;
    }
    Next();
  }
  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "write failed"));
      return;
    }
    Next();
  }
  void OnDone() override { delete this; }

private:
  void Next() {
    static const char *const States[] = {"packed", "shipped", "delivered"};
    if (next_ == std::size(States)) {
      Finish(grpc::Status::OK);
      return;
    }
    event_.set_state(States[next_++]);
    StartWrite(&event_);
  }

  size_t next_ = 0;
  v1::OrderEvent event_;
};

class OrdersService final : public v1::Orders::CallbackService {
  grpc::ServerUnaryReactor *FindUser(grpc::CallbackServerContext *context,
                                     const v1::FindUserRequest *request,
                                     v1::User *user) override {
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    auto it = customers().find(request->name());
    if (it == customers().end()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "no user named " + request->name()));
      return reactor;
    }
    user->set_id(it->second.id);
    user->set_display_name(it->second.display_name);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor *GetCart(grpc::CallbackServerContext *context,
                                    const v1::GetCartRequest *request,
                                    Cart *cart) override {
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    const Customer *customer = byId(request->user_id());
    if (!customer) {
      reactor->Finish(
          grpc::Status(grpc::StatusCode::NOT_FOUND,
                       "no user " + std::to_string(request->user_id())));
      return reactor;
    }
    long total = 0;
    for (const auto &[sku, price] : customer->cart) {
      Item *item = cart->add_items();
      item->set_sku(sku);
      item->set_price_cents(price);
      total += price;
    }
    cart->set_total_cents(total);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerUnaryReactor *PlaceOrder(grpc::CallbackServerContext *context,
                                       const v1::PlaceOrderRequest *request,
                                       v1::Receipt *receipt) override {
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    const Customer *customer = byId(request->user_id());
    long total = 0;
    if (customer)
      for (const auto &[sku, price] : customer->cart)
        total += price;
    if (!customer || request->skus_size() == 0 ||
        static_cast<size_t>(request->skus_size()) != customer->cart.size()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                   "nothing to order for user " +
                                       std::to_string(request->user_id())));
      return reactor;
    }
    if (request->amount_cents() != total) {
      reactor->Finish(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "amount does not match the cart"));
      return reactor;
    }
    receipt->set_order_id(100 + customer->id);
    receipt->set_summary(std::to_string(request->skus_size()) + " items for " +
                         customer->display_name);
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }

  grpc::ServerWriteReactor<v1::OrderEvent> *
  WatchOrder(grpc::CallbackServerContext *,
             const v1::WatchOrderRequest *request) override {
    return new StateWriter(request->order_id());
  }
};

} // namespace

struct ShopServer::Impl {
  OrdersService service;
  std::unique_ptr<grpc::Server> server;
};

ShopServer::ShopServer() : impl_(std::make_unique<Impl>()) {
  grpc::ServerBuilder builder;
  builder.RegisterService(&impl_->service);
  impl_->server = builder.BuildAndStart();
}

ShopServer::~ShopServer() { impl_->server->Shutdown(); }

std::shared_ptr<grpc::Channel> ShopServer::Channel() {
  return impl_->server->InProcessChannel(grpc::ChannelArguments());
}

} // namespace shop
