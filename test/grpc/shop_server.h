//===- shop_server.h - An in-process server for the gRPC test ---*- C++ -*-===//
//
// The server side of the gRPC end-to-end test: the Orders service of
// shop.proto with a fixed catalogue, so that every run answers the same.
// No port is opened: clients reach it through Channel(), gRPC's in-process
// transport.
//
//===----------------------------------------------------------------------===//
#ifndef AWAITIFY_TEST_GRPC_SHOP_SERVER_H
#define AWAITIFY_TEST_GRPC_SHOP_SERVER_H

#include <grpcpp/channel.h>
#include <memory>

namespace shop {

class ShopServer {
public:
  /// Builds and starts the server.
  ShopServer();
  /// Shuts it down, waiting for the calls in progress.
  ~ShopServer();
  ShopServer(const ShopServer &) = delete;
  ShopServer &operator=(const ShopServer &) = delete;

  /// A new channel to the server.
  std::shared_ptr<grpc::Channel> Channel();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace shop

#endif
