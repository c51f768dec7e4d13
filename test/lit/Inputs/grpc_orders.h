// The shapes of gRPC's C++ callback API (grpcpp 1.51) and of the stub that
// grpc_cpp_plugin generates for a service, declarations only: enough for
// the lit tests to parse, as the real headers would be, without gRPC.
#include <functional>
#include <memory>
#include <string>

namespace grpc {
class Status {
public:
  bool ok() const;
  std::string error_message() const;
};
class ClientContext {};
class ClientUnaryReactor {
public:
  virtual ~ClientUnaryReactor();
  void StartCall();
  virtual void OnDone(const Status &) = 0;
};
template <class Response> class ClientReadReactor {
public:
  virtual ~ClientReadReactor();
  void StartCall();
  void StartRead(Response *);
  virtual void OnReadDone(bool) {}
  virtual void OnDone(const Status &) = 0;
};
template <class Request> class ClientWriteReactor {
public:
  virtual ~ClientWriteReactor();
  void StartCall();
  virtual void OnDone(const Status &) = 0;
};
template <class Request, class Response> class ClientBidiReactor {
public:
  virtual ~ClientBidiReactor();
  void StartCall();
  virtual void OnDone(const Status &) = 0;
};
} // namespace grpc

// What `package shop.v1; service Orders {...}` generates (abridged).
namespace shop::v1 {
struct FindUserRequest {
  void set_name(const std::string &);
};
struct User {
  long id() const;
  const std::string &name() const;
};
struct GetCartRequest {
  void set_user_id(long);
};
struct Cart {
  long total_cents() const;
};
struct PlaceOrderRequest {
  void set_user_id(long);
  void set_amount_cents(long);
};
struct Receipt {
  long order_id() const;
};
struct WatchOrderRequest {
  void set_order_id(long);
};
struct OrderEvent {};

class Orders final {
public:
  class StubInterface {
  public:
    virtual ~StubInterface() {}
    class async_interface {
    public:
      virtual ~async_interface() {}
      virtual void FindUser(::grpc::ClientContext *context,
                            const FindUserRequest *request, User *response,
                            std::function<void(::grpc::Status)>) = 0;
      virtual void FindUser(::grpc::ClientContext *context,
                            const FindUserRequest *request, User *response,
                            ::grpc::ClientUnaryReactor *reactor) = 0;
      virtual void GetCart(::grpc::ClientContext *context,
                           const GetCartRequest *request, Cart *response,
                           std::function<void(::grpc::Status)>) = 0;
      virtual void GetCart(::grpc::ClientContext *context,
                           const GetCartRequest *request, Cart *response,
                           ::grpc::ClientUnaryReactor *reactor) = 0;
      virtual void
      WatchOrder(::grpc::ClientContext *context,
                 const WatchOrderRequest *request,
                 ::grpc::ClientReadReactor<OrderEvent> *reactor) = 0;
      virtual void Upload(::grpc::ClientContext *context, Receipt *response,
                          ::grpc::ClientWriteReactor<OrderEvent> *reactor) = 0;
      virtual void
      Chat(::grpc::ClientContext *context,
           ::grpc::ClientBidiReactor<OrderEvent, OrderEvent> *reactor) = 0;
    };
    typedef class async_interface experimental_async_interface;
    virtual class async_interface *async() { return nullptr; }
  };
  class Stub final : public StubInterface {
  public:
    class async final : public StubInterface::async_interface {
    public:
      void FindUser(::grpc::ClientContext *context,
                    const FindUserRequest *request, User *response,
                    std::function<void(::grpc::Status)>) override;
      void FindUser(::grpc::ClientContext *context,
                    const FindUserRequest *request, User *response,
                    ::grpc::ClientUnaryReactor *reactor) override;
      void GetCart(::grpc::ClientContext *context,
                   const GetCartRequest *request, Cart *response,
                   std::function<void(::grpc::Status)>) override;
      void GetCart(::grpc::ClientContext *context,
                   const GetCartRequest *request, Cart *response,
                   ::grpc::ClientUnaryReactor *reactor) override;
      void PlaceOrder(::grpc::ClientContext *context,
                      const PlaceOrderRequest *request, Receipt *response,
                      std::function<void(::grpc::Status)>);
      void WatchOrder(::grpc::ClientContext *context,
                      const WatchOrderRequest *request,
                      ::grpc::ClientReadReactor<OrderEvent> *reactor) override;
      void Upload(::grpc::ClientContext *context, Receipt *response,
                  ::grpc::ClientWriteReactor<OrderEvent> *reactor) override;
      void
      Chat(::grpc::ClientContext *context,
           ::grpc::ClientBidiReactor<OrderEvent, OrderEvent> *reactor) override;
    };
    class async *async() override;
  };
  static std::unique_ptr<Stub> NewStub();
};
} // namespace shop::v1

// gRPC before 1.40 generated `experimental_async` classes instead.
namespace legacy {
class Greeter final {
public:
  class Stub final {
  public:
    class experimental_async final {
    public:
      void SayHello(::grpc::ClientContext *context,
                    const shop::v1::FindUserRequest *request,
                    shop::v1::User *response,
                    std::function<void(::grpc::Status)>);
    };
    class experimental_async *experimental_async();
  };
};
} // namespace legacy
