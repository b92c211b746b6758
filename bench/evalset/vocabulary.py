"""Words the generators draw from: technology names that must never be a finding."""

# Technology, product and service names (many are also English words or surnames), as
# developers write them. The independent set's tuning part draws the even entries, its
# held-out part the odd ones; the labelled set (bench/eval_dataset.py) draws from all.
TOOLS = (
    "Envoy", "Redis", "Kafka", "Jenkins", "Ansible", "Chef", "Puppet", "Heroku", "Flask",
    "FastAPI", "Django", "Celery", "Sidekiq", "Grafana", "Prometheus", "Terraform", "Pulumi",
    "Vault", "Consul", "Nomad", "Kubernetes", "Helm", "Argo CD", "Istio", "Linkerd",
    "Traefik", "Nginx", "HAProxy", "Caddy", "Postgres", "MySQL", "MariaDB", "SQLite",
    "Cassandra", "DynamoDB", "BigQuery", "Snowflake", "Databricks", "Airflow", "Dagster",
    "Prefect", "Luigi", "Spark", "Flink", "Hadoop", "Presto", "Trino", "Druid", "ClickHouse",
    "Elasticsearch", "OpenSearch", "Kibana", "Logstash", "Fluentd", "Loki", "Tempo",
    "Jaeger", "Zipkin", "Sentry", "Datadog", "New Relic", "Splunk", "PagerDuty", "Opsgenie",
    "Jira", "Confluence", "Bitbucket", "GitLab", "Gitea", "Bamboo", "TeamCity", "CircleCI",
    "Travis", "Buildkite", "Drone", "Tekton", "Spinnaker", "Rancher", "OpenShift", "Docker",
    "Podman", "Kaniko", "Skaffold", "Tilt", "Vagrant", "Packer", "Proxmox", "Lambda",
    "Fargate", "Cloud Run", "App Engine", "Netlify", "Vercel", "Render", "Railway",
    "Supabase", "Firebase", "Amplify", "Cognito", "Auth0", "Okta", "Keycloak", "React",
    "Angular", "Svelte", "Next.js", "Nuxt", "Remix", "Astro", "Gatsby", "Ember", "Webpack",
    "Vite", "Rollup", "Babel", "Deno", "Bun", "Rails", "Sinatra", "Laravel", "Symfony",
    "Spring Boot", "Quarkus", "Micronaut", "Ktor", "Phoenix", "Pandas", "Polars", "Dask",
    "Ray", "PyTorch", "TensorFlow", "Keras", "XGBoost", "LightGBM", "LangChain",
    "LlamaIndex", "Pinecone", "Weaviate", "Qdrant", "Milvus", "Chroma", "MLflow",
    "Kubeflow", "SageMaker", "Vertex AI", "Azure", "DigitalOcean", "Linode", "Hetzner",
    "Cloudflare", "Fastly", "Akamai", "Twilio", "SendGrid", "Mailgun", "Stripe", "Adyen",
    "Shopify", "Magento", "WordPress", "Drupal", "Ghost", "Strapi", "Contentful", "Sanity",
    "Hasura", "Apollo", "RabbitMQ", "ActiveMQ", "NATS", "Pulsar", "Kinesis", "SQS",
    "EventBridge", "Zookeeper", "etcd", "Memcached", "Varnish", "Squid", "Kong", "Tyk",
    "Apigee", "Postman", "Selenium", "Cypress", "Playwright", "Puppeteer", "Jest", "Mocha",
    "pytest", "JUnit", "Gradle", "Maven", "Bazel", "Pants", "Lerna", "Turborepo", "Yarn",
    "Poetry", "Conda", "Homebrew", "Chocolatey", "Ubuntu", "Debian", "Alpine", "Rocky Linux",
    "Fedora", "FreeBSD", "Neovim", "Emacs", "IntelliJ", "PyCharm", "Xcode", "Eclipse",
    "Sublime", "Harbor", "Nexus", "Artifactory", "SonarQube", "Snyk", "Trivy", "Falco",
    "Cilium", "Calico", "Flannel", "Velero", "Longhorn", "Ceph", "MinIO", "Gunicorn",
    "Uvicorn", "Puma", "Unicorn", "Passenger", "Tomcat", "Jetty", "WildFly", "Kestrel",
)  # fmt: skip
