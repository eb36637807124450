# syntax=docker/dockerfile:1
# Countersign service image: `docker run countersign api|worker` (see docs/production.md).
# Multi-stage: compile TypeScript with the full dependency tree, ship only dist/ and production
# dependencies on node:20-slim, run as the unprivileged `node` user. No secret is baked in: keys,
# tokens and callback secrets come from the environment (env_file) at run time.

ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (tsc) needs the sources, which are copied next; native modules
# (@temporalio/core-bridge, @swc/core, esbuild) ship as prebuilt platform packages.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY core ./core
COPY triggers ./triggers
COPY workflows ./workflows
COPY activities ./activities
COPY integrations ./integrations
COPY api ./api
COPY cli ./cli
COPY client ./client
COPY infra ./infra
COPY server ./server
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && node -e "require('@temporalio/core-bridge'); require('@swc/core')"

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    COUNTERSIGN_HOST=0.0.0.0 \
    COUNTERSIGN_PORT=8787 \
    COUNTERSIGN_DATA_DIR=/var/lib/countersign \
    COUNTERSIGN_POLICY_DIR=/etc/countersign/policies \
    COUNTERSIGN_CONFIG=/etc/countersign/countersign.yaml
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY deploy/entrypoint.sh deploy/healthcheck.mjs ./deploy/
# Example policies (no secrets); mount your own over /etc/countersign/policies. countersign.yaml
# (agents, approvers, groups) is NOT in the image: mount it, with secrets as ${VAR} references.
COPY policies /etc/countersign/policies
RUN rm -rf /etc/countersign/policies/tests \
 && mkdir -p /var/lib/countersign \
 && chown node:node /var/lib/countersign \
 && chmod 0755 /app/deploy/entrypoint.sh \
 && ln -s /app/deploy/entrypoint.sh /usr/local/bin/countersign
USER node
EXPOSE 8787
VOLUME ["/var/lib/countersign"]
ENTRYPOINT ["/app/deploy/entrypoint.sh"]
CMD ["api"]
