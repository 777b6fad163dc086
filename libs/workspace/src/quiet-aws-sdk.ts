// Imported first by the command-line tools: the AWS SDK's "Node 22 will be required" notice is for
// the people who pick a runtime, and says nothing to someone seeding a table or running a load
// test on Node 20 (which the project supports; Lambda runs 22). Loaded before the SDK.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
