"""Words the generators draw from: technology names that must never be a finding, towns."""

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

# The held-out part's own technology names, none of them in TOOLS: written for it on
# 2026-11-30 without looking at what the detectors report. Several are also given names,
# Greek gods, places or plain English words, as in real stacks.
HELDOUT_TOOLS = (
    "Kustomize", "Flux", "Crossplane", "Backstage", "Dependabot", "Renovate", "Semgrep",
    "Checkov", "Terragrunt", "Atlantis", "Spacelift", "Octopus Deploy", "Harness", "GoCD",
    "Concourse", "Woodpecker", "Temporal", "Camunda", "Zeebe", "n8n", "Airbyte", "Fivetran",
    "dbt", "Meltano", "Superset", "Metabase", "Redash", "Looker", "Tableau", "Power BI",
    "Jupyter", "Streamlit", "Gradio", "Plotly", "Bokeh", "Matplotlib", "NumPy", "SciPy",
    "scikit-learn", "Hugging Face", "vLLM", "Ollama", "llama.cpp", "Triton", "ONNX Runtime",
    "TensorRT", "JAX", "DeepSpeed", "Optuna", "Weights & Biases", "Feast", "Delta Lake",
    "Iceberg", "Hudi", "Parquet", "Avro", "Protobuf", "gRPC", "GraphQL", "Prisma",
    "Sequelize", "TypeORM", "SQLAlchemy", "Alembic", "Flyway", "Liquibase", "Hibernate",
    "Entity Framework", "Redux", "Zustand", "Vue", "SolidJS", "Qwik", "Preact", "htmx",
    "Tailwind", "Bootstrap", "Storybook", "Vitest", "esbuild", "Parcel", "Nx", "pnpm",
    "Hatch", "Pipenv", "tox", "nox", "Ruff", "mypy", "Pyright", "ESLint", "Prettier",
    "Biome", "Hugo", "Jekyll", "Julia", "Elixir", "Erlang", "Crystal", "Zig", "Flutter",
    "Arch Linux", "openSUSE", "AlmaLinux", "NixOS", "PowerShell", "Zsh", "tmux", "VS Code",
    "GoLand", "WebStorm", "DBeaver", "pgAdmin", "TablePlus", "Insomnia", "Bruno", "k6",
    "Locust", "Gatling", "JMeter", "Wireshark", "Nmap", "Burp Suite", "Suricata", "Zeek",
    "Wazuh", "CrowdStrike", "Tenable", "Bitwarden", "1Password", "KeePass", "Teleport",
    "Tailscale", "WireGuard", "OpenVPN", "CoreDNS", "Route 53", "CloudFront", "Aurora",
    "Redshift", "Athena", "Cosmos DB", "Azure DevOps", "Pub/Sub", "Firestore", "Spanner",
    "Bigtable", "CockroachDB", "TiDB", "YugabyteDB", "ScyllaDB", "Couchbase", "Neo4j",
    "InfluxDB", "TimescaleDB", "VictoriaMetrics", "Thanos", "Mimir", "Graylog",
    "Fluent Bit", "OpenTelemetry", "Honeycomb", "Dynatrace", "Zabbix", "Nagios", "Icinga",
    "Uptime Kuma", "Mattermost", "Zulip", "Postfix", "Dovecot", "Postmark", "Mailjet",
    "Vonage", "Braintree", "Mollie", "Klarna", "Paddle", "Chargebee", "Xero", "QuickBooks",
    "Zendesk", "Freshdesk", "Intercom", "ServiceNow", "Personio", "DocuSign", "Nextcloud",
)  # fmt: skip

# Faker's en_AU and en_NZ invent most of their towns ("Josephland", "South Kellyhaven");
# the held-out part's {{city}} draws real ones there instead, from these lists.
HELDOUT_TOWNS = {
    "en_AU": (
        "Ballarat", "Bendigo", "Geelong", "Wollongong", "Newcastle", "Toowoomba", "Cairns",
        "Townsville", "Mackay", "Rockhampton", "Bundaberg", "Launceston", "Hobart", "Darwin",
        "Alice Springs", "Wagga Wagga", "Albury", "Dubbo", "Orange", "Bathurst", "Tamworth",
        "Mildura", "Shepparton", "Warrnambool", "Mount Gambier", "Whyalla", "Kalgoorlie",
        "Bunbury", "Geraldton", "Broome", "Port Macquarie", "Coffs Harbour", "Lismore",
        "Gladstone", "Hervey Bay", "Parramatta", "Penrith", "Fremantle", "Canberra", "Perth",
    ),
    "en_NZ": (
        "Whangārei", "Tauranga", "Rotorua", "Gisborne", "Napier", "Hastings", "New Plymouth",
        "Whanganui", "Palmerston North", "Masterton", "Nelson", "Blenheim", "Greymouth",
        "Timaru", "Oamaru", "Dunedin", "Invercargill", "Queenstown", "Wānaka", "Taupō",
        "Hamilton", "Whakatāne", "Levin", "Porirua", "Lower Hutt", "Christchurch", "Ashburton",
    ),
}  # fmt: skip
