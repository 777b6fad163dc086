import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge } from './security-checks';

/** Where the storefront lives on the distribution (as on `npm start`): `/shop/`. */
export const STOREFRONT_PATH = '/shop/';

/** The API's stage: CloudFront forwards API paths to `/<stage>/...` of the REST API. */
export const API_STAGE_NAME = 'prod';

/**
 * Paths under /shop/ without a file extension (the PayPal return and cancel pages, a reload of
 * a route) are the single-page app: the viewer request is answered from `index.html`. A
 * CloudFront function rather than the distribution's error responses, which would also turn
 * the API's own 403/404 bodies into the shop's page.
 */
const SPA_REWRITE = `function handler(event) {
  var request = event.request;
  if (request.uri === '/shop') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/shop/' } } };
  }
  var last = request.uri.split('/').pop();
  if (last.indexOf('.') === -1) request.uri = '/shop/index.html';
  return request;
}`;

/** What the shop is told in AWS (`/shop/config.json`, StorefrontConfig of apps/storefront). */
export interface StorefrontSettings {
  /** The Cognito hosted UI's base URL (https://<prefix>.auth.<region>.amazoncognito.com). */
  hostedUiUrl: string;
  /** The storefront's app client (authorization code with PKCE, no secret). */
  clientId: string;
  /** With a Stripe publishable key the shop takes cards with Stripe Elements. */
  stripePublishableKey?: string | undefined;
}

export interface StorefrontHostingProps {
  /** The REST API served on the same origin (its routes are the distribution's default behaviour). */
  api: apigateway.RestApi;
  /** The built storefront (`apps/storefront/dist`); a page saying how to build it when absent. */
  distDir: string;
  settings: StorefrontSettings;
}

/**
 * The storefront in AWS: the built app in a private S3 bucket read by CloudFront through origin
 * access control, under `/shop/`, with the API on the same distribution (its paths go to API
 * Gateway), so the shop calls the API on its own origin — no CORS. HTTPS only.
 */
export class StorefrontHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;

  constructor(scope: Construct, id: string, props: StorefrontHostingProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Built from the repository at every deploy: nothing here to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    const stack = Stack.of(this);
    // The API by its execute-api host and stage (not `api.url`, which would make the
    // distribution wait for the API's deployment, whose functions need the distribution's URL).
    const apiOrigin = new origins.HttpOrigin(`${props.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      originPath: `/${API_STAGE_NAME}`,
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    const shopOrigin = origins.S3BucketOrigin.withOriginAccessControl(this.bucket);
    const spa = new cloudfront.Function(this, 'ShopRoutes', {
      code: cloudfront.FunctionCode.fromInline(SPA_REWRITE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'orderflow storefront: /shop -> /shop/, app routes -> index.html',
    });
    const shopBehavior: cloudfront.BehaviorOptions = {
      origin: shopOrigin,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      compress: true,
      functionAssociations: [{ function: spa, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'orderflow: the storefront (/shop/) and the API on one origin',
      defaultBehavior: {
        origin: apiOrigin,
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        // Nothing of the API is cached; every viewer header but Host goes through (API Gateway
        // needs its own Host), Authorization and Idempotency-Key included.
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: true,
      },
      additionalBehaviors: { shop: shopBehavior, 'shop/*': shopBehavior },
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
    });
    acknowledge(this.bucket, {
      id: 'AwsSolutions-S1',
      reason: 'Static files built from the repository, read only by this distribution (origin access control); the requests that matter, to the API, are in its access log',
    });
    acknowledge(
      this.distribution,
      { id: 'AwsSolutions-CFR1', reason: 'The shop sells wherever its owner does: geo restriction is a business decision per stage' },
      { id: 'AwsSolutions-CFR2', reason: 'A WAF web ACL is an account-wide decision with its own cost; the API behind it is throttled per route' },
      { id: 'AwsSolutions-CFR3', reason: 'The API logs every request it answers (JSON access log); static file hits are not worth a log bucket' },
      {
        id: 'AwsSolutions-CFR4',
        reason: "With CloudFront's default *.cloudfront.net certificate CloudFront sets the TLS policy; TLSv1.2_2021 is asked for and applies once a custom domain's certificate is attached",
      },
    );
    new CfnOutput(stack, 'StorefrontUrl', { value: this.url });
    this.deploySite(props.distDir, props.settings);
  }

  /** `https://<distribution>/shop/`: where customers shop, and where Cognito sends them back. */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}${STOREFRONT_PATH}`;
  }

  /** PayPal's return and cancel pages of the shop. */
  paypalUrls(): { returnUrl: string; cancelUrl: string } {
    return { returnUrl: `${this.url}paypal/return`, cancelUrl: `${this.url}paypal/cancel` };
  }

  private deploySite(distDir: string, settings: StorefrontSettings): void {
    const stack = Stack.of(this);
    // The built shop when the stack is synthesized for a deploy; without bundling (the local
    // stack, template tests) a page that says how to build it, so synth never needs a build.
    const built = stack.bundlingRequired && existsSync(join(distDir, 'index.html'));
    const site = built
      ? s3deploy.Source.asset(distDir)
      : s3deploy.Source.data('index.html', '<!doctype html><title>orderflow shop</title><p>The storefront was not built: run <code>npx nx run storefront:build</code>, then deploy again.</p>');
    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      destinationKeyPrefix: STOREFRONT_PATH.slice(1),
      // The shop's config.json beside it, its tokens resolved by CloudFormation at deploy time.
      sources: [
        site,
        s3deploy.Source.jsonData('config.json', {
          apiBaseUrl: '',
          auth: { mode: 'cognito', domain: settings.hostedUiUrl, clientId: settings.clientId, redirectUri: this.url, scopes: ['openid', 'email', 'profile'] },
          testCards: [],
          ...(settings.stripePublishableKey ? { stripePublishableKey: settings.stripePublishableKey } : {}),
        }),
      ],
      distribution: this.distribution,
      distributionPaths: [`${STOREFRONT_PATH}*`],
      memoryLimit: 256,
      prune: true,
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=300')],
    });
  }
}
