// The jsii runtime behind the CDK talks to one Node.js process over one channel, and loads its assemblies into it on
// first use: it is not thread-safe, so the test classes here run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
