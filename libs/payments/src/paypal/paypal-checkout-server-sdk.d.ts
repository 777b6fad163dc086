// Types for the parts of @paypal/checkout-server-sdk 1.0.3 (CommonJS, untyped, frozen
// upstream) that the PayPal adapter uses. The adapter file references this one, so any
// compilation that reaches the adapter sees it.
declare module '@paypal/checkout-server-sdk' {
  namespace paypal {
    interface HttpRequest {
      path: string;
      verb: string;
      body: unknown;
      headers: Record<string, string>;
    }

    interface HttpResponse<T = unknown> {
      statusCode: number;
      headers: Record<string, string | string[] | undefined>;
      result?: T;
    }

    /** What @paypal/paypalhttp rejects with for a non-2xx answer (`message` is the body). */
    interface HttpError extends Error {
      statusCode: number;
      headers: Record<string, string | string[] | undefined>;
    }

    namespace core {
      class PayPalEnvironment {
        constructor(clientId: string, clientSecret: string, baseUrl: string, webUrl: string);
        clientId: string;
        clientSecret: string;
        baseUrl: string;
        webUrl: string;
        authorizationString(): string;
      }
      class SandboxEnvironment extends PayPalEnvironment {
        constructor(clientId: string, clientSecret: string);
      }
      class LiveEnvironment extends PayPalEnvironment {
        constructor(clientId: string, clientSecret: string);
      }
      class TokenCache {
        constructor();
      }
      class PayPalHttpClient {
        constructor(environment: PayPalEnvironment, refreshToken?: string);
        environment: PayPalEnvironment;
        protected _cache: TokenCache;
        execute<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
        getTimeout(): number;
        getUserAgent(): string;
        addInjector(injector: (request: HttpRequest) => unknown): void;
      }
    }

    namespace orders {
      class OrdersCreateRequest implements HttpRequest {
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
        prefer(prefer: string): this;
        requestBody(order: unknown): this;
      }
      class OrdersGetRequest implements HttpRequest {
        constructor(orderId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
      }
      class OrdersAuthorizeRequest implements HttpRequest {
        constructor(orderId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
        payPalRequestId(id: string): this;
        prefer(prefer: string): this;
        requestBody(body: unknown): this;
      }
      class OrdersCaptureRequest implements HttpRequest {
        constructor(orderId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
        payPalRequestId(id: string): this;
        prefer(prefer: string): this;
        requestBody(body: unknown): this;
      }
    }

    namespace payments {
      class AuthorizationsCaptureRequest implements HttpRequest {
        constructor(authorizationId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
        payPalRequestId(id: string): this;
        prefer(prefer: string): this;
        requestBody(body: unknown): this;
      }
      class AuthorizationsVoidRequest implements HttpRequest {
        constructor(authorizationId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
      }
      class CapturesRefundRequest implements HttpRequest {
        constructor(captureId: string);
        path: string;
        verb: string;
        body: unknown;
        headers: Record<string, string>;
        payPalRequestId(id: string): this;
        prefer(prefer: string): this;
        requestBody(body: unknown): this;
      }
    }
  }
  export = paypal;
}
